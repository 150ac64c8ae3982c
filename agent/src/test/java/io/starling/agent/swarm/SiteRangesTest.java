package io.starling.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SiteRangesTest {

    @Test
    void anIpv4PeerIsOnTheSiteExactlyWhenItLiesUnderAPrefix() {
        SiteRanges office = SiteRanges.of(List.of("10.1.0.0/16", "192.168.4.0/22"));

        assertThat(office.contains("10.1.0.0")).isTrue();
        assertThat(office.contains("10.1.255.255")).isTrue();
        assertThat(office.contains("10.2.0.0")).isFalse();
        assertThat(office.contains("10.0.255.255")).isFalse();
        assertThat(office.contains("192.168.7.255")).isTrue();
        assertThat(office.contains("192.168.8.0")).isFalse();
        assertThat(office.contains("192.168.3.255")).isFalse();
    }

    @Test
    void anIpv6PeerIsMatchedAgainstIpv6Ranges() {
        SiteRanges office = SiteRanges.of(List.of("2001:db8:1::/48", "fd00::/8"));

        assertThat(office.contains("2001:db8:1:ffff::1")).isTrue();
        assertThat(office.contains("2001:DB8:1::abcd")).isTrue();
        assertThat(office.contains("[2001:db8:1::1]")).as("bracketed, as in an endpoint").isTrue();
        assertThat(office.contains("fe80::1%eth0")).isFalse();
        assertThat(office.contains("fd12::1%2")).as("a zone is ignored").isTrue();
        assertThat(office.contains("2001:db8:2::1")).isFalse();
    }

    @Test
    void familiesNeverMix() {
        assertThat(SiteRanges.of(List.of("0.0.0.0/0")).contains("2001:db8::1")).isFalse();
        assertThat(SiteRanges.of(List.of("::/0")).contains("10.1.2.3")).isFalse();
    }

    @Test
    void anIpv4MappedPeerIsItsIpv4Address() {
        SiteRanges office = SiteRanges.of(List.of("10.1.0.0/16"));

        assertThat(office.contains("::ffff:10.1.2.3")).isTrue();
        assertThat(office.contains("::ffff:a01:203")).isTrue();
        assertThat(office.contains("::ffff:10.2.0.1")).isFalse();
        assertThat(SiteRanges.of(List.of("::/0")).contains("::ffff:10.1.2.3")).isFalse();
        // IPv4-compatible (::a.b.c.d) and NAT64 addresses are IPv6 peers.
        assertThat(office.contains("::10.1.2.3")).isFalse();
        assertThat(office.contains("64:ff9b::10.1.2.3")).isFalse();
        assertThat(SiteRanges.of(List.of("::ffff:10.1.0.0/112")).contains("10.1.9.9")).isTrue();
    }

    @Test
    void loopbackAndEdgePrefixes() {
        assertThat(SiteRanges.of(List.of("127.0.0.0/8")).contains("127.0.0.1")).isTrue();
        assertThat(SiteRanges.of(List.of("::1/128")).contains("::1")).isTrue();
        assertThat(SiteRanges.of(List.of("10.1.2.3/32")).contains("10.1.2.3")).isTrue();
        assertThat(SiteRanges.of(List.of("10.1.2.3/32")).contains("10.1.2.4")).isFalse();
        assertThat(SiteRanges.of(List.of("0.0.0.0/0")).contains("255.255.255.255")).isTrue();
        assertThat(SiteRanges.of(List.of("10.1.2.0/25")).contains("10.1.2.128")).isFalse();
        assertThat(SiteRanges.NONE.contains("10.1.2.3")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "office.example.com", "cafe.be", "010.1.2.3", "10.1.2", "256.1.1.1",
            "10.1.2.3.4", "1.2.3.4:6881", "g::1", ".::1", "12345::", "1::2::3", "", " 10.1.2.3"})
    void anythingButALiteralIsNoPeerOfTheSiteAndIsNeverLookedUp(String text) {
        // "localhost" and "cafe.be" would resolve through the system resolver with InetAddress.getByName.
        assertThat(SiteRanges.of(List.of("0.0.0.0/0", "::/0")).contains(text)).isFalse();
        assertThat(SiteRanges.parseAddress(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "::/129", "office.example.com/24", "10.0.0.0/x", "/8",
            "::ffff:10.0.0.0/80"})
    void aMalformedRangeIsRefusedByName(String text) {
        assertThatThrownBy(() -> SiteRanges.of(List.of("10.1.0.0/16", text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a CIDR range");
    }
}
