/**
 * The failures a route reports itself, beside the domain's errors: a tag the surface's error table maps
 * to its own status and code, and the message its client reads. One definition for every surface, each
 * surface naming its own: `class BadBody extends RouteFailure("BadBody") {}`.
 */
export const RouteFailure = <const Tag extends string>(tag: Tag) =>
  class {
    readonly _tag: Tag = tag
    constructor(readonly message: string) {}
  }
