/** Service products, spare parts, consumption confirmations and billing rules (being wired). */
export const handler = async (): Promise<never> => {
  throw new Error('The consumption API is not wired yet');
};
