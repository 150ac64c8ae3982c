package io.starling.agent.swarm;

import io.starling.protocol.agent.Stripe;

/**
 * Piece priorities from the control plane's {@link Stripe} hint: the agent's own pieces first
 * (libtorrent picks top-priority pieces before any other, whatever their availability), the rest
 * of its site's stripe next (twice as likely as a piece of the same availability elsewhere),
 * everything else as usual. Nothing is left out: a wrong hint only orders the download worse.
 */
final class PieceStripe {

    /** libtorrent's top priority: picked first from any peer that has it. */
    static final byte OWN = 7;
    /** Rarest first weighs availability by (8 − priority): 6 counts half as rare as the default. */
    static final byte SITE = 6;
    static final byte DEFAULT = 4;

    private PieceStripe() {
    }

    /** @return one priority per piece; null when the hint is missing or cannot be followed */
    static byte[] priorities(Stripe stripe, int pieces) {
        if (stripe == null || !stripe.valid() || pieces <= 0) {
            return null;
        }
        byte[] out = new byte[pieces];
        for (int p = 0; p < pieces; p++) {
            out[p] = stripe.isOwn(p) ? OWN : stripe.inSiteStripe(p) ? SITE : DEFAULT;
        }
        return out;
    }
}
