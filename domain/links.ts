/**
 * The links the product sends or shows to people, built in one place from PUBLIC_URL: a person opens the page
 * (signed in with a session), never the bearer-only JSON API, which is for machines and keeps its own field.
 */
export function linksFrom(publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    /** The directive's page. */
    directive: (id: string) => `${base}/directives/${encodeURIComponent(id)}`,
    /** The directive in the JSON API, for machines (a webhook's receiver, a script with a token). */
    directiveApi: (id: string) => `${base}/v1/directives/${encodeURIComponent(id)}`,
    /**
     * The page that sets a password from an invitation, its code after `#`: a browser never sends the fragment,
     * so the code reaches no server log, proxy or audit trail; the page's script copies it into the form's body.
     */
    invitation: (code: string) => `${base}/invitations#${code}`,
  };
}

export type Links = ReturnType<typeof linksFrom>;
