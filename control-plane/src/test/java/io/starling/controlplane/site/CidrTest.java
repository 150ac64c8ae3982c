package io.starling.controlplane.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.controlplane.common.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "10.1.0.0/16, 10.1.0.0/16",
            "0.0.0.0/0, 0.0.0.0/0",
            "192.168.7.42/32, 192.168.7.42/32",
            "' 172.16.0.0/12 ', 172.16.0.0/12",
            "2001:db8::/32, 2001:db8::/32",
            "2001:DB8:0001:0000::/48, 2001:db8:1::/48",
            "2001:0db8:0:0:0:0:0:0/64, 2001:db8::/64",
            "::/0, ::/0",
            "::1/128, ::1/128",
            "fd00:0:0:1::/64, fd00:0:0:1::/64",
            "2001:db8:0:0:1::/80, 2001:db8:0:0:1::/80",
            "64:ff9b::/96, 64:ff9b::/96"})
    void rangesAreReadInTheirNormalisedForm(String text, String normalised) {
        assertThat(Cidr.parse(text)).hasToString(normalised);
    }

    @Test
    void hostBitsBeyondThePrefixAreRefusedWithTheNetworkToWriteInstead() {
        assertThatThrownBy(() -> Cidr.parse("10.1.2.0/16"))
                .isInstanceOf(DomainException.Invalid.class)
                .hasMessageContaining("host bits")
                .hasMessageContaining("did you mean 10.1.0.0/16 (the network), or 10.1.2.0/32 (that one address)?");
        assertThatThrownBy(() -> Cidr.parse("2001:db8:1:2::/48"))
                .isInstanceOf(DomainException.Invalid.class)
                .hasMessageContaining("did you mean 2001:db8:1::/48 (the network)");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/31")).hasMessageContaining("did you mean 10.0.0.0/31 ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/008", "10.0.0.0/",
            "10.0.0.0/8/9", "10.0.0.0/x"})
    void prefixLengthsOutOfRangeOrMalformedAreRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(DomainException.Invalid.class)
                .hasMessageContaining("prefix length");
    }

    @Test
    void theRefusalSaysWhichPrefixLengthsTheFamilyAllows() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("IPv4 allows /0 to /32");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::/200")).hasMessageContaining("IPv6 allows /0 to /128");
    }

    @ParameterizedTest
    @ValueSource(strings = {"office.example.com/24", "localhost/8", "not-a-cidr", "10.1/16", "10.1.0/24",
            "256.0.0.0/8", "10.0.0.0.0/8", "010.0.0.0/8", "10.01.0.0/16", "0x0a.0.0.0/8", "1.2.3.4 /32",
            "2001:db8:::/48", "2001:db8::1::/64", "1:2:3:4:5:6:7:8:9/128", "1:2:3:4:5:6:7::8/128",
            "12345::/16", "fe80::1%eth0/64", "[2001:db8::]/32", "2001:db8::g/64", "::ffff:1.2.3/120",
            "\uff11.0.0.0/8", "1.2.3.4\n/32", ":/0", ":::/0", "1:/16"})
    void garbageAndHostNamesAreRefusedWithoutAnyLookup(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(DomainException.Invalid.class)
                .hasMessageContaining("is not a CIDR range")
                .hasMessageContaining("10.1.0.0/16");
    }

    @Test
    void controlCharactersNeverReachTheMessage() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0\u0000/8"))
                .hasMessageContaining("\\u0000")
                .hasMessageNotContaining("\u0000");
    }

    @Test
    void anAddressWithoutAPrefixIsRefusedWithTheSingleAddressSpelling() {
        assertThatThrownBy(() -> Cidr.parse("10.1.2.3"))
                .isInstanceOf(DomainException.Invalid.class)
                .hasMessageContaining("no prefix length")
                .hasMessageContaining("10.1.2.3/32");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::7")).hasMessageContaining("2001:db8::7/128");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void anEmptyRangeIsRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(DomainException.Invalid.class)
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Cidr.parse(null)).isInstanceOf(DomainException.Invalid.class);
    }

    @Test
    void anIpv4MappedRangeIsRefusedInFavourOfItsIpv4Spelling() {
        assertThatThrownBy(() -> Cidr.parse("::ffff:10.0.0.0/104"))
                .isInstanceOf(DomainException.Invalid.class)
                .hasMessageContaining("IPv4-mapped")
                .hasMessageContaining("write it as 10.0.0.0/8");
        assertThatThrownBy(() -> Cidr.parse("::ffff:0:0/96")).hasMessageContaining("write it as 0.0.0.0/0");
    }

    @Test
    void containsMatchesExactlyTheAddressesUnderThePrefix() {
        Cidr office = Cidr.parse("10.1.0.0/16");
        assertThat(office.contains(ip("10.1.0.0"))).isTrue();
        assertThat(office.contains(ip("10.1.255.255"))).isTrue();
        assertThat(office.contains(ip("10.2.0.0"))).isFalse();
        assertThat(office.contains(ip("10.0.255.255"))).isFalse();

        Cidr odd = Cidr.parse("192.168.4.0/22");
        assertThat(odd.contains(ip("192.168.7.255"))).isTrue();
        assertThat(odd.contains(ip("192.168.8.0"))).isFalse();
        assertThat(odd.contains(ip("192.168.3.255"))).isFalse();

        Cidr v6 = Cidr.parse("2001:db8:1::/48");
        assertThat(v6.contains(ip("2001:db8:1:ffff::1"))).isTrue();
        assertThat(v6.contains(ip("2001:db8:2::1"))).isFalse();

        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("255.255.255.255"))).isTrue();
        assertThat(Cidr.parse("10.1.2.3/32").contains(ip("10.1.2.3"))).isTrue();
        assertThat(Cidr.parse("10.1.2.3/32").contains(ip("10.1.2.4"))).isFalse();
    }

    @Test
    void rangesNeverContainAddressesOfTheOtherFamily() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(ip("10.1.2.3"))).isFalse();
    }

    @Test
    void anIpv4MappedAddressIsItsIpv4Address() {
        Cidr office = Cidr.parse("10.1.0.0/16");
        assertThat(office.contains(ip("::ffff:10.1.2.3"))).isTrue();
        assertThat(office.contains(ip("::ffff:a01:203"))).isTrue();
        assertThat(office.contains(ip("::ffff:10.2.0.1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(ip("::ffff:10.1.2.3")))
                .as("a mapped address is an IPv4 peer, not an IPv6 one").isFalse();
        // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) addresses are real IPv6.
        assertThat(office.contains(ip("::10.1.2.3"))).isFalse();
        assertThat(office.contains(ip("64:ff9b::10.1.2.3"))).isFalse();
    }

    @Test
    void containsRefusesSomethingThatIsNotAnAddress() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/8").contains(new byte[5]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlapMeansOneRangeContainsTheOther() {
        Cidr wide = Cidr.parse("10.0.0.0/8");
        Cidr office = Cidr.parse("10.1.0.0/16");
        Cidr floor = Cidr.parse("10.1.2.0/24");
        Cidr elsewhere = Cidr.parse("10.2.0.0/16");
        assertThat(wide.overlaps(office)).isTrue();
        assertThat(office.overlaps(wide)).isTrue();
        assertThat(office.overlaps(floor)).isTrue();
        assertThat(office.overlaps(office)).isTrue();
        assertThat(office.overlaps(elsewhere)).isFalse();
        assertThat(floor.overlaps(elsewhere)).isFalse();
        assertThat(Cidr.parse("10.1.2.0/25").overlaps(Cidr.parse("10.1.2.128/25"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").overlaps(floor)).isTrue();
    }

    @Test
    void rangesOfDifferentFamiliesNeverOverlap() {
        assertThat(Cidr.parse("0.0.0.0/0").overlaps(Cidr.parse("::/0"))).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").overlaps(Cidr.parse("2001:db8:ff::/48"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").overlaps(Cidr.parse("2001:db9::/32"))).isFalse();
    }

    @Test
    void equalRangesAreEqualHowEverTheyWereWritten() {
        assertThat(Cidr.parse("2001:DB8::/32")).isEqualTo(Cidr.parse("2001:0db8:0000::/32"))
                .hasSameHashCodeAs(Cidr.parse("2001:0db8:0000::/32"));
        assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/9"));
    }

    @Test
    void rangesSortIpv4FirstThenByAddressWiderFirst() {
        var sorted = java.util.stream.Stream.of("2001:db8::/32", "10.1.0.0/16", "10.0.0.0/8", "9.0.0.0/8", "10.1.0.0/24")
                .map(Cidr::parse).sorted().map(Cidr::toString).toList();
        assertThat(sorted).containsExactly("9.0.0.0/8", "10.0.0.0/8", "10.1.0.0/16", "10.1.0.0/24", "2001:db8::/32");
    }

    @ParameterizedTest
    @CsvSource({
            "::, ::",
            "::1, ::1",
            "1::, 1::",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "::ffff:10.1.2.3, ::ffff:a01:203",
            "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
            "FE80::ABCD, fe80::abcd"})
    void ipv6AddressesAreWrittenTheRfc5952Way(String text, String canonical) {
        assertThat(IpLiteral.format(IpLiteral.parse(text))).isEqualTo(canonical);
    }

    @Test
    void peerAddressesMayCarryBracketsAndZonesAndMappedOnesComeBackAsIpv4() {
        assertThat(IpLiteral.parseHost("[2001:db8::1]")).isEqualTo(ip("2001:db8::1"));
        assertThat(IpLiteral.parseHost("fe80::1%eth0")).isEqualTo(ip("fe80::1"));
        assertThat(IpLiteral.parseHost("::ffff:10.1.2.3")).isEqualTo(ip("10.1.2.3"));
        assertThat(IpLiteral.parseHost("[::ffff:10.1.2.3]")).isEqualTo(ip("10.1.2.3"));
        assertThat(IpLiteral.parseHost("10.1.2.3")).isEqualTo(ip("10.1.2.3"));
        for (String bad : new String[] {"", "[", "[]", "[::1", "example.com", "10.1.2.3:80", "%eth0", "1.2.3.4.5"}) {
            assertThat(IpLiteral.parseHost(bad)).as(bad).isNull();
        }
        assertThat(IpLiteral.parseHost(null)).isNull();
    }

    static byte[] ip(String literal) {
        byte[] address = IpLiteral.parse(literal);
        assertThat(address).as(literal).isNotNull();
        return address;
    }
}
