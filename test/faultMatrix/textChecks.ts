/**
 * The checks on a text a user was shown, shared by the fault matrix in VS Code and the one in plain Node: no
 * stack, no `[object Object]`, no token in any of the forms it could leak in.
 */

/** The forms in which a token could leak: itself, its secret part, URL-encoded, base64. */
export function tokenForms(token: string): string[] {
  const secret = token.replace(/^cog_/, '');
  return [
    token,
    secret,
    encodeURIComponent(`Bearer ${token}`),
    Buffer.from(token).toString('base64'),
    Buffer.from(token).toString('base64url'),
  ];
}

const STACK = /\n\s+at \S|\bat [\w.<>]+ \(.*:\d+:\d+\)|^\w*Error: |\bTypeError\b|\bReferenceError\b/m;

/** Problems with a text the user saw or the log holds. */
export function textProblems(text: string, token: string): string[] {
  const problems: string[] = [];
  if (STACK.test(text)) problems.push('a stack trace or raw exception is shown');
  if (text.includes('[object Object]')) problems.push('[object Object] is shown');
  if (tokenForms(token).some((form) => text.includes(form))) problems.push('the token is shown or logged');
  return problems;
}
