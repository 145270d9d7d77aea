/** The steps of the consumption-then-billing state machine (being wired). */
export const handler = async (): Promise<never> => {
  throw new Error('The consumption steps are not wired yet');
};
