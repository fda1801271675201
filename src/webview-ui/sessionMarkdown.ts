import MarkdownIt from 'markdown-it';

/**
 * Markdown from the conversation, made safe to put in the page: raw HTML is escaped (`html: false`),
 * markdown-it's own link check drops `javascript:`, `data:` and the like, images stay text (the CSP would
 * block them anyway), and links carry their target in `data-href` instead of `href` so that a click reaches
 * the host, which opens only https, rather than the webview's own link handling.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
markdown.disable(['image']);

const defaultLinkOpen = markdown.renderer.rules.link_open;
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const token = tokens[index];
  if (token) {
    const href = token.attrGet('href') ?? '';
    token.attrs = [
      ['data-href', href],
      ['class', 'link'],
      ['role', 'link'],
      ['tabindex', '0'],
      ['title', href],
    ];
  }
  return defaultLinkOpen
    ? defaultLinkOpen(tokens, index, options, env, self)
    : self.renderToken(tokens, index, options);
};

export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
