package io.starling.e2e.offices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OfficeLinksTest {

    @Test
    void tcRatesReadAsDecimalBitsPerSecond() {
        assertThat(OfficeLinks.parseRate("20mbit")).isEqualTo(20_000_000L);
        assertThat(OfficeLinks.parseRate("1gbit")).isEqualTo(1_000_000_000L);
        assertThat(OfficeLinks.parseRate("500kbit")).isEqualTo(500_000L);
        assertThat(OfficeLinks.parseRate("100mbit")).isEqualTo(100_000_000L);
        assertThat(OfficeLinks.parseRate("8000")).isEqualTo(8_000L);
    }

    @Test
    void unitsAreCaseInsensitive() {
        assertThat(OfficeLinks.parseRate("20MBIT")).isEqualTo(20_000_000L);
        assertThat(OfficeLinks.parseRate("1GBit")).isEqualTo(1_000_000_000L);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-5mbit", "0", "0mbit", "20mb", "fast", "20 mbit", "1.5mbit", "99999999999999gbit"})
    void aBadRateIsRefusedWithOneLineNamingItAndTheAcceptedForms(String rate) {
        assertThatThrownBy(() -> OfficeLinks.parseRate(rate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + rate + "'")
                .hasMessageContaining("kbit, mbit or gbit")
                .hasMessageNotContaining("\n");
    }

    @Test
    void ratesReadAsPeopleWriteThem() {
        assertThat(OfficeLinks.describe(20_000_000)).isEqualTo("20 Mbit/s");
        assertThat(OfficeLinks.describe(1_000_000_000)).isEqualTo("1 Gbit/s");
        assertThat(OfficeLinks.describe(500_000)).isEqualTo("500 kbit/s");
        assertThat(OfficeLinks.describe(1_500_000)).isEqualTo("1.5 Mbit/s");
        assertThat(OfficeLinks.describe(999)).isEqualTo("999 bit/s");
    }

    @Test
    void aZeroLinkIsRefusedWhenTheTopologyIsBuilt() {
        assertThatThrownBy(() -> new OfficeLinks(50_000_000, 0, 20_000_000, 20_000_000, 20_000_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WAN down");
    }
}
