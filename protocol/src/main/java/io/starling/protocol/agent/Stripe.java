package io.starling.protocol.agent;

/**
 * Which pieces an agent asks for first in a deployment's swarm: a hint, not an order, and no
 * security field. Agent {@code index} of the {@code count} agents of its site prefers the pieces
 * of its site's stripe ({@code piece ≡ siteIndex mod siteCount}) and, within those, its own
 * ({@code piece / siteCount ≡ index mod count}). So the agents behind one gateway ask it for
 * different fresh pieces and have something to trade at once, and the gateways of different
 * offices fetch different pieces from the origin and trade the rest across their WAN links.
 * A wrong or missing hint only makes a download slower: every piece is still wanted.
 *
 * @param index     this agent's place among its site's agents in the deployment, 0-based
 * @param count     how many agents of its site the deployment has
 * @param siteIndex its site's place among the deployment's sites, 0-based
 * @param siteCount how many sites the deployment reaches
 */
public record Stripe(int index, int count, int siteIndex, int siteCount) {

    /** Beyond this a stripe holds at most a piece or two of a release anyone would deploy. */
    public static final int MAX_COUNT = 100_000;

    /** Whether the hint can be followed: counts in 1..{@link #MAX_COUNT}, each index below its count. */
    public boolean valid() {
        return count >= 1 && count <= MAX_COUNT && index >= 0 && index < count
                && siteCount >= 1 && siteCount <= MAX_COUNT && siteIndex >= 0 && siteIndex < siteCount;
    }

    /** Whether a piece is in this agent's site's stripe. */
    public boolean inSiteStripe(int piece) {
        return piece % siteCount == siteIndex;
    }

    /** Whether a piece is this agent's own: in its site's stripe, and its share of that. */
    public boolean isOwn(int piece) {
        return inSiteStripe(piece) && (piece / siteCount) % count == index;
    }
}
