package io.starling.controlplane.site;

import static io.starling.controlplane.site.CidrTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SiteTableTest {

    private static SiteTable table(String... siteAndCidr) {
        List<SiteTable.Route> routes = new ArrayList<>();
        for (int i = 0; i < siteAndCidr.length; i += 2) {
            routes.add(new SiteTable.Route(Cidr.parse(siteAndCidr[i + 1]), siteAndCidr[i]));
        }
        return SiteTable.of(routes);
    }

    @Test
    void anAddressResolvesToTheSiteWhoseRangeHoldsIt() {
        SiteTable t = table("berlin", "10.1.0.0/16", "berlin", "2001:db8:1::/48",
                "paris", "10.2.0.0/16", "paris", "192.168.4.0/22");
        assertThat(t.siteOf(ip("10.1.200.7"))).contains("berlin");
        assertThat(t.siteOf(ip("2001:db8:1:42::9"))).contains("berlin");
        assertThat(t.siteOf(ip("10.2.0.1"))).contains("paris");
        assertThat(t.siteOf(ip("192.168.7.255"))).contains("paris");
        assertThat(t.siteOf(ip("192.168.8.0"))).isEmpty();
        assertThat(t.siteOf(ip("10.3.0.1"))).isEmpty();
        assertThat(t.siteOf(ip("2001:db8:2::1"))).isEmpty();
    }

    @Test
    void aPeerOnADualStackSocketResolvesByItsIpv4Address() {
        SiteTable t = table("berlin", "10.1.0.0/16", "everywhere-v6", "::/0");
        assertThat(t.siteOf(ip("::ffff:10.1.2.3"))).contains("berlin");
        assertThat(t.siteOf(ip("::ffff:10.9.2.3"))).isEmpty();
        assertThat(t.siteOf(ip("2001:db8::1"))).contains("everywhere-v6");
    }

    @Test
    void theNarrowestRangeWinsWhenRangesNest() {
        SiteTable t = table("campus", "10.0.0.0/8", "lab", "10.1.2.0/24", "desk", "10.1.2.3/32",
                "v6-campus", "2001:db8::/32", "v6-lab", "2001:db8:0:1::/64");
        assertThat(t.siteOf(ip("10.1.2.3"))).contains("desk");
        assertThat(t.siteOf(ip("10.1.2.4"))).contains("lab");
        assertThat(t.siteOf(ip("10.1.3.4"))).contains("campus");
        assertThat(t.siteOf(ip("2001:db8:0:1::5"))).contains("v6-lab");
        assertThat(t.siteOf(ip("2001:db8:0:2::5"))).contains("v6-campus");
    }

    @Test
    void theSameRangeOnTwoSitesResolvesToTheFirstByName() {
        SiteTable t = table("zurich", "10.1.0.0/16", "amsterdam", "10.1.0.0/16");
        assertThat(t.siteOf(ip("10.1.0.1"))).contains("amsterdam");
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void anEmptyTableKnowsNoSite() {
        assertThat(SiteTable.EMPTY.siteOf(ip("10.1.2.3"))).isEmpty();
        assertThat(SiteTable.EMPTY.siteOf(ip("::1"))).isEmpty();
    }

    @Test
    void somethingThatIsNotAnAddressIsABug() {
        assertThatThrownBy(() -> SiteTable.EMPTY.siteOf(new byte[6])).isInstanceOf(IllegalArgumentException.class);
    }

    /** A thousand random, possibly nested ranges: the table must agree with a plain longest-prefix scan. */
    @Test
    void aThousandRangesResolveExactlyAsALinearScanWould() {
        Random random = new Random(42);
        List<SiteTable.Route> routes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            boolean v4 = random.nextInt(3) > 0;
            byte[] address = new byte[v4 ? 4 : 16];
            random.nextBytes(address);
            // Concentrate on a few /8s (or /16s) so that ranges nest and addresses hit them.
            address[0] = (byte) (v4 ? 10 : 0x20);
            address[1] = (byte) (v4 ? random.nextInt(4) : 0x01);
            int prefix = v4 ? 8 + random.nextInt(25) : 16 + random.nextInt(113);
            Cidr cidr = Cidr.parse(IpLiteral.format(Cidr.masked(address, prefix)) + "/" + prefix);
            routes.add(new SiteTable.Route(cidr, "site-" + i));
        }
        SiteTable t = SiteTable.of(routes);
        for (int i = 0; i < 20_000; i++) {
            byte[] address;
            if (i % 2 == 0) {
                // an address inside a known range, with random host bits
                Cidr c = routes.get(random.nextInt(routes.size())).cidr();
                address = c.network();
                byte[] noise = new byte[address.length];
                random.nextBytes(noise);
                for (int b = 0; b < address.length; b++) {
                    int keep = Math.max(0, Math.min(8, c.prefixLength() - 8 * b));
                    address[b] = (byte) ((address[b] & (0xff00 >>> keep)) | (noise[b] & (0xff >>> keep)));
                }
            } else {
                address = new byte[random.nextBoolean() ? 4 : 16];
                random.nextBytes(address);
                address[0] = (byte) (address.length == 4 ? 10 : 0x20);
            }
            assertThat(t.siteOf(address)).as(IpLiteral.format(address)).isEqualTo(linearScan(routes, address));
        }
    }

    private static Optional<String> linearScan(List<SiteTable.Route> routes, byte[] address) {
        SiteTable.Route best = null;
        for (SiteTable.Route r : routes) {
            if (r.cidr().contains(address) && (best == null || r.cidr().prefixLength() > best.cidr().prefixLength()
                    || (r.cidr().prefixLength() == best.cidr().prefixLength() && r.site().compareTo(best.site()) < 0))) {
                best = r;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.site());
    }
}
