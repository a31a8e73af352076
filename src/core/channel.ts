/**
 * One request → reply map per channel, shared by the side that asks and the side that answers
 * (docs/architecture.md §10). The asker's reply type follows from the request it sends, never from a
 * type it picks; the handler is a table with one entry per request type, each checked against the map
 * at compile time. Types only: the content script imports this module and stays free of zod.
 */

/** The request of `Requests` whose `type` is `K`. */
export type RequestOf<Requests extends { type: string }, K extends Requests['type']> = Extract<
  Requests,
  { type: K }
>;

/** One answer per request type, each returning that type's reply; `Sender` is who asked (if it matters). */
export type HandlerTable<
  Requests extends { type: string },
  Replies extends { [K in Requests['type']]: unknown },
  Sender = void,
> = { [K in Requests['type']]: (request: RequestOf<Requests, K>, sender: Sender) => Promise<Replies[K]> };

/** The table as one function, the shape the worker's router calls. */
export function answerWith<
  Requests extends { type: string },
  Replies extends { [K in Requests['type']]: unknown },
  Sender = void,
>(table: HandlerTable<Requests, Replies, Sender>) {
  return (request: Requests, sender: Sender): Promise<Replies[Requests['type']]> => {
    const answer = table[request.type as Requests['type']] as (
      request: Requests,
      sender: Sender,
    ) => Promise<Replies[Requests['type']]>;
    return answer(request, sender);
  };
}
