import MarkdownIt from 'markdown-it';

// Raw HTML in the source is escaped, not passed through, and markdown-it refuses
// javascript:, vbscript: and data: links except images, so the output is safe to insert.
const md = new MarkdownIt({ html: false, linkify: true, typographer: true });

/** Renders a service description: the same code on the server and in the editor's preview. */
export const renderMarkdown = (source: string): string => md.render(source);
