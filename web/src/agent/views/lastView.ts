/** The list the agent came from (with its sort and page), so "u" on a ticket goes back there. */
let lastViewPath = '/agent';

export const rememberView = (path: string) => {
  lastViewPath = path;
};
export const lastView = () => lastViewPath;
