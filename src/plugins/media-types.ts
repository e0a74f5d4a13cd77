// The two HTTP refusals Yoga answers with an empty body, answered with a GraphQL error body that
// says what to send instead: a POST whose Content-Type no parser reads (415), and an Accept header
// no result format matches (406), e.g. a subscription asked for as plain JSON.
import type { Plugin } from 'graphql-yoga';
import { requestError, type ErrorCode } from '../schema/errors/client-error.js';

const NOT_ACCEPTABLE: ErrorCode = 'NOT_ACCEPTABLE';
const ACCEPTED = ['application/graphql-response+json', 'application/json', 'multipart/mixed', 'text/event-stream'];

export function mediaTypes(): Plugin {
  return {
    // After Yoga's own parsers, so `requestParser` is set whenever one of them reads the request.
    onRequestParse({ request, requestParser }) {
      if (requestParser !== undefined || request.method !== 'POST') return;
      throw requestError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the operation as JSON: "Content-Type: application/json" with a body like {"query": "…", "variables": {…}}.',
        { status: 415 },
      );
    },
    onResultProcess({ result, resultProcessor, setResultProcessor }) {
      if (resultProcessor !== undefined) return;
      const stream = Symbol.asyncIterator in result;
      const message = stream
        ? 'A subscription streams its events as server-sent events: send "Accept: text/event-stream".'
        : `Send an Accept header this endpoint can answer: ${ACCEPTED.join(', ')}.`;
      setResultProcessor((input, fetchAPI) => {
        // A subscription that will never be read must not stay subscribed.
        if (Symbol.asyncIterator in input) void input[Symbol.asyncIterator]().return?.();
        const body = JSON.stringify({ errors: [{ message, extensions: { code: NOT_ACCEPTABLE } }] });
        return new fetchAPI.Response(body, {
          status: 406,
          headers: { 'content-type': 'application/json; charset=utf-8', accept: ACCEPTED.join(', ') },
        });
      }, 'application/json');
    },
  };
}
