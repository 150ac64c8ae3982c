package io.starling.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/**
 * Walks a lifecycle's transition table against the table a test writes out independently: every
 * listed move is accepted, every other one is refused (by {@code mayBecome} and by
 * {@code transitionTo}, with the given exception and a message naming both states).
 *
 * @param <S> the lifecycle's state enum
 */
public final class TransitionTable<S extends Enum<S>> {

    private final Class<S> states;
    private final Map<S, Set<S>> expected;
    private BiPredicate<S, S> mayBecome;
    private BiFunction<S, S, S> transitionTo;
    private Class<? extends RuntimeException> refusal = RuntimeException.class;
    private BiFunction<S, S, String> message;

    private TransitionTable(Class<S> states, Map<S, Set<S>> expected) {
        this.states = states;
        this.expected = expected;
    }

    public static <S extends Enum<S>> TransitionTable<S> of(Class<S> states, Map<S, Set<S>> expected) {
        return new TransitionTable<>(states, expected);
    }

    public TransitionTable<S> mayBecome(BiPredicate<S, S> mayBecome) {
        this.mayBecome = mayBecome;
        return this;
    }

    public TransitionTable<S> transitionTo(BiFunction<S, S, S> transitionTo) {
        this.transitionTo = transitionTo;
        return this;
    }

    /** The refusal's type, and its exact message; without a message, it must name both states. */
    public TransitionTable<S> refusedWith(Class<? extends RuntimeException> refusal, BiFunction<S, S, String> message) {
        this.refusal = refusal;
        this.message = message;
        return this;
    }

    public void check() {
        for (S from : states.getEnumConstants()) {
            assertThat(expected).as("the expected table lists %s", from).containsKey(from);
            for (S to : states.getEnumConstants()) {
                if (expected.get(from).contains(to)) {
                    if (mayBecome != null) {
                        assertThat(mayBecome.test(from, to)).as("%s -> %s", from, to).isTrue();
                    }
                    assertThat(transitionTo.apply(from, to)).isEqualTo(to);
                    continue;
                }
                if (mayBecome != null) {
                    assertThat(mayBecome.test(from, to)).as("%s -> %s", from, to).isFalse();
                }
                var thrown = assertThatThrownBy(() -> transitionTo.apply(from, to)).as("%s -> %s", from, to)
                        .isInstanceOf(refusal);
                if (message != null) {
                    thrown.hasMessage(message.apply(from, to));
                } else {
                    thrown.hasMessageContaining(from.name().toLowerCase()).hasMessageContaining(to.name().toLowerCase());
                }
            }
        }
    }
}
