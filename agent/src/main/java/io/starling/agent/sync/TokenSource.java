package io.starling.agent.sync;

/** Bearer tokens for the agent API. */
public interface TokenSource {

    /** A token valid for at least a little while; fetched or renewed as needed. Blocking. */
    String accessToken();

    /** Forget the current token, e.g. after a 401, so that the next call fetches a new one. */
    void invalidate();
}
