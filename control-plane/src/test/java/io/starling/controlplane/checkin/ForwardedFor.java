package io.starling.controlplane.checkin;

import static io.restassured.RestAssured.given;
import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.Tokens;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One machine's enrollment, check-in and announces, each carrying {@code X-Forwarded-For} as a
 * TLS-terminating proxy would add it, and what the control plane made of its address on each path.
 */
final class ForwardedFor {

    /**
     * @param enrolledSite the site the enrollment answer names (from the address: the token has none)
     * @param checkInSite  the site the check-in answer names
     * @param lastAddress  the address admins see for the agent
     * @param trackerPeer  the address another peer of the swarm is told for it
     */
    record Seen(String enrolledSite, String checkInSite, String lastAddress, String trackerPeer) {
    }

    private ForwardedFor() {
    }

    /** @param office a CIDR range no other test uses; a site covering it is created, and the header names an address in it */
    static Seen requestsFromAnOffice(String office) {
        String site = Api.newSite("proxied", office);
        String header = office.substring(0, office.lastIndexOf('.')) + ".7";

        var enrolled = forwarded(given(), header).contentType(ContentType.JSON)
                .body(Map.of("token", Fleet.newToken(1, null), "hostname", "behind-a-proxy", "agentVersion", "0.1.0-test",
                        "labels", List.of()))
                .post("/api/agent/v1/enroll").then().statusCode(201).extract().jsonPath();
        String clientId = enrolled.getString("clientId");
        String checkInSite = forwarded(as(Tokens.agent(clientId)), header).contentType(ContentType.JSON)
                .body(Fleet.inventory()).post("/api/agent/v1/check-in").then().statusCode(200).extract().path("site");
        String lastAddress = as(Tokens.viewer()).get("/api/v1/agents/{id}", enrolled.getString("agentId"))
                .then().statusCode(200).extract().path("lastAddress");

        String product = Api.newProduct("proxied");
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "app.bin", Api.bytes(10_000));
        Api.publish(product, "1.0");
        String infoHash = as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product)
                .then().extract().path("artifacts[0].infoHashV1");
        String passkey = enrolled.getString("passkey");
        Fleet.announce(forwarded(given(), header), passkey, infoHash, 50301);
        byte[] peers = (byte[]) Fleet.announce(passkey, infoHash, 50302).get("peers");
        String trackerPeer = null;
        for (int i = 0; i + 6 <= peers.length; i += 6) {
            int port = ((peers[i + 4] & 0xff) << 8) | (peers[i + 5] & 0xff);
            if (port == 50301) {
                trackerPeer = ipv4(Arrays.copyOfRange(peers, i, i + 4));
            }
        }
        return new Seen(enrolled.getString("site"), checkInSite, lastAddress, trackerPeer);
    }

    /** Quarkus' proxy settings, believing {@code X-Forwarded-For} on connections from {@code trustedProxy} only. */
    static Map<String, String> forwardedFrom(String trustedProxy) {
        return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", trustedProxy);
    }

    /** Nothing the header said was used: the socket's address, 127.0.0.1 (on no site), decided on every path. */
    static void assertTheSocketDecided(Seen seen) {
        assertThat(seen.enrolledSite()).isNull();
        assertThat(seen.checkInSite()).isNull();
        assertThat(seen.lastAddress()).isEqualTo("127.0.0.1");
        assertThat(seen.trackerPeer()).isEqualTo("127.0.0.1");
    }

    /** The site the address in the header lies in, as {@link #requestsFromAnOffice} names it. */
    static boolean isOfficeSite(String site) {
        return site != null && site.startsWith("proxied-");
    }

    private static RequestSpecification forwarded(RequestSpecification request, String address) {
        return request.header("X-Forwarded-For", address);
    }

    private static String ipv4(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip).getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
