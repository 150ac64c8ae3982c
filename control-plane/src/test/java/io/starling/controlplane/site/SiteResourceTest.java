package io.starling.controlplane.site;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each test uses its own 10.N.0.0/16 and 2001:db8:N::/48, since all tests share one database. */
@QuarkusTest
class SiteResourceTest {

    @Inject
    SiteResolver resolver;

    @Inject
    EntityManager em;

    private static Map<String, Object> site(String name, String description, String... cidrs) {
        Map<String, Object> body = new HashMap<>();
        if (name != null) {
            body.put("name", name);
        }
        body.put("description", description);
        body.put("cidrs", List.of(cidrs));
        return body;
    }

    @Test
    void anOperatorCreatesASiteAndEveryoneCanReadIt() {
        as(Tokens.operator()).contentType(ContentType.JSON)
                .body(site("berlin-hq", "Berlin office", "10.10.0.0/16", "2001:db8:10::/48"))
                .post("/api/v1/sites")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/sites/berlin-hq"))
                .body("name", equalTo("berlin-hq"))
                .body("description", equalTo("Berlin office"))
                .body("cidrs", equalTo(List.of("10.10.0.0/16", "2001:db8:10::/48")))
                .body("createdBy", equalTo("operator"))
                .body("createdAt", notNullValue());
        for (String token : List.of(Tokens.viewer(), Tokens.publisher(), Tokens.admin())) {
            as(token).get("/api/v1/sites").then().statusCode(200).body("name", hasItem("berlin-hq"));
            as(token).get("/api/v1/sites/berlin-hq").then().statusCode(200)
                    .body("cidrs", equalTo(List.of("10.10.0.0/16", "2001:db8:10::/48")));
        }
    }

    @Test
    void rangesComeBackNormalisedAndSorted() {
        String name = "norm-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(site(name, null, "2001:DB8:0011:0000::/48", " 10.11.0.0/16"))
                .post("/api/v1/sites")
                .then().statusCode(201)
                .body("cidrs", equalTo(List.of("10.11.0.0/16", "2001:db8:11::/48")));
    }

    @Test
    void theResolverKnowsANewSiteAsSoonAsTheCreateReturns() {
        assertThat(resolver.siteOf("10.12.3.4")).isEmpty();
        String name = Api.newSite("resolve", "10.12.0.0/16", "2001:db8:12::/48");
        assertThat(resolver.siteOf("10.12.3.4")).contains(name);
        assertThat(resolver.siteOf("::ffff:10.12.3.4")).contains(name);
        assertThat(resolver.siteOf("2001:db8:12:7::1")).contains(name);
        assertThat(resolver.siteOf(new byte[] {10, 12, (byte) 200, 1})).contains(name);
        assertThat(resolver.siteOf("10.13.3.4")).isEmpty();
    }

    @Test
    void aPeerAddressThatIsNotALiteralResolvesToNoSite() {
        Api.newSite("literal", "10.15.0.0/16");
        assertThat(resolver.siteOf("localhost")).isEmpty();
        assertThat(resolver.siteOf("10.15.0.1.nip.io")).isEmpty();
        assertThat(resolver.siteOf("")).isEmpty();
        assertThat(resolver.siteOf((String) null)).isEmpty();
    }

    @Test
    void updatingASiteReplacesItsRangesAndTheResolverFollowsAtOnce() {
        String name = Api.newSite("move", "10.13.0.0/16");
        as(Tokens.operator()).contentType(ContentType.JSON)
                .body(site(null, "moved to the new building", "10.14.0.0/16", "2001:db8:14::/48"))
                .put("/api/v1/sites/{s}", name)
                .then().statusCode(200)
                .body("cidrs", equalTo(List.of("10.14.0.0/16", "2001:db8:14::/48")))
                .body("description", equalTo("moved to the new building"))
                .body("updatedBy", equalTo("operator"));
        assertThat(resolver.siteOf("10.13.0.1")).isEmpty();
        assertThat(resolver.siteOf("10.14.0.1")).contains(name);
        assertThat(resolver.siteOf("2001:db8:14::1")).contains(name);
        as(Tokens.viewer()).get("/api/v1/sites/{s}", name).then().body("cidrs", hasItem("10.14.0.0/16"));
    }

    @Test
    void aSiteMayWidenOrKeepItsOwnRanges() {
        String name = Api.newSite("widen", "10.16.0.0/16", "10.18.0.0/16");
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(site(name, "wider", "10.16.0.0/15", "10.18.0.0/16"))
                .put("/api/v1/sites/{s}", name)
                .then().statusCode(200)
                .body("cidrs", equalTo(List.of("10.16.0.0/15", "10.18.0.0/16")));
        assertThat(resolver.siteOf("10.17.255.254")).contains(name);
    }

    @Test
    void aDeletedSiteIsGoneAndItsPeersBelongNowhere() {
        String name = Api.newSite("gone", "10.19.0.0/16");
        assertThat(resolver.siteOf("10.19.1.1")).contains(name);
        as(Tokens.operator()).delete("/api/v1/sites/{s}", name).then().statusCode(204);
        assertThat(resolver.siteOf("10.19.1.1")).isEmpty();
        as(Tokens.viewer()).get("/api/v1/sites/{s}", name).then().statusCode(404);
        as(Tokens.viewer()).get("/api/v1/sites").then().body("name", not(hasItem(name)));
        // its ranges are free again
        Api.newSite("reuse", "10.19.0.0/16");
    }

    @Test
    void aRangeAnotherSiteAlreadyCoversIsAConflictNamingThatSiteAndBothRanges() {
        String taken = Api.newSite("taken", "10.20.0.0/16", "2001:db8:20::/48");
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(site("latecomer", null, "10.21.0.0/16", "10.20.5.0/24", "2001:db8:20:1::/64"))
                .post("/api/v1/sites")
                .then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://starling.io/problems/conflict"))
                .body("detail", allOf(containsString("'" + taken + "'"),
                        containsString("10.20.5.0/24 overlaps 10.20.0.0/16"),
                        containsString("2001:db8:20:1::/64 overlaps 2001:db8:20::/48"),
                        not(containsString("10.21.0.0/16"))));
        as(Tokens.viewer()).get("/api/v1/sites/latecomer").then().statusCode(404);
        assertThat(resolver.siteOf("10.21.0.1")).isEmpty();
    }

    @Test
    void changingASiteOntoAnotherSitesRangeIsAConflictAndChangesNothing() {
        String taken = Api.newSite("holder", "10.22.0.0/16");
        String other = Api.newSite("grabber", "10.23.0.0/16");
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(site(null, "grab", "10.22.0.0/15"))
                .put("/api/v1/sites/{s}", other)
                .then().statusCode(409)
                .body("detail", containsString("10.22.0.0/15 overlaps 10.22.0.0/16 of site '" + taken + "'"));
        as(Tokens.viewer()).get("/api/v1/sites/{s}", other).then()
                .body("cidrs", equalTo(List.of("10.23.0.0/16")))
                .body("description", equalTo("test site"));
        assertThat(resolver.siteOf("10.23.0.1")).contains(other);
    }

    @Test
    void rangesThatOverlapWithinOneRequestAreRefused() {
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(site("self-overlap", null, "10.24.0.0/16", "10.24.1.0/24", "10.25.0.0/16", "10.25.0.0/16"))
                .post("/api/v1/sites")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", allOf(containsString("10.24.0.0/16 overlaps 10.24.1.0/24"),
                        containsString("10.25.0.0/16 is listed twice")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.26.1.0/16", "10.26.0.0/33", "not-a-cidr", "office.example.com/24", "10.26.0.1",
            "::ffff:10.26.0.0/112", "", "2001:db8:26::/129", "10.026.0.0/16"})
    void aBadRangeIsRefusedWithAProblemThatSaysWhy(String cidr) {
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(site("bad-range", null, cidr))
                .post("/api/v1/sites")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://starling.io/problems/invalid-request"))
                .body("detail", not(equalTo(null)));
        as(Tokens.viewer()).get("/api/v1/sites/bad-range").then().statusCode(404);
    }

    @Test
    void hostBitsInARangeAreRefusedWithTheNetworkToWriteInstead() {
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(site("host-bits", null, "10.27.1.0/16"))
                .post("/api/v1/sites")
                .then().statusCode(400)
                .body("detail", containsString("did you mean 10.27.0.0/16 (the network)"));
    }

    @Test
    void everyBadRangeIsReportedAtOnce() {
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(site("many-bad", null, "10.28.0.0/16", "10.29.1.0/16", "nope"))
                .post("/api/v1/sites")
                .then().statusCode(400)
                .body("detail", allOf(containsString("10.29.0.0/16"), containsString("'nope'")));
    }

    @Test
    void aSiteNeedsBetweenOneAnd256Ranges() {
        as(Tokens.admin()).contentType(ContentType.JSON).body(site("no-ranges", null))
                .post("/api/v1/sites").then().statusCode(400).body("detail", containsString("cidrs"));
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("name", "missing-ranges"))
                .post("/api/v1/sites").then().statusCode(400).body("detail", containsString("cidrs"));
        String[] tooMany = IntStream.range(0, 257).mapToObj(i -> "10.30." + i % 256 + "." + (i / 256) * 128 + "/25")
                .toArray(String[]::new);
        as(Tokens.admin()).contentType(ContentType.JSON).body(site("too-many", null, tooMany))
                .post("/api/v1/sites").then().statusCode(400).body("detail", containsString("1 to 256"));
        String[] justEnough = java.util.Arrays.copyOf(tooMany, 256);
        as(Tokens.admin()).contentType(ContentType.JSON).body(site("just-enough", null, justEnough))
                .post("/api/v1/sites").then().statusCode(201);
        assertThat(resolver.siteOf("10.30.255.1")).contains("just-enough");
    }

    @Test
    void aDuplicateSiteNameIsAConflict() {
        String name = Api.newSite("dup", "10.31.0.0/16");
        as(Tokens.admin()).contentType(ContentType.JSON).body(site(name, null, "10.32.0.0/16"))
                .post("/api/v1/sites")
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("already exists"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/b", "UPPER", "-dash-first", "new\nline", "x..y", "",
            "waytoolongwaytoolongwaytoolongwaytoolongwaytoolongwaytoolongwaytoolong"})
    void badSiteNamesAreRefusedWithAClearProblem(String name) {
        as(Tokens.admin()).contentType(ContentType.JSON).body(site(name, null, "10.33.0.0/16"))
                .post("/api/v1/sites")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("name"));
    }

    @Test
    void aSiteCannotBeRenamedByPut() {
        String name = Api.newSite("fixed", "10.34.0.0/16");
        as(Tokens.admin()).contentType(ContentType.JSON).body(site("renamed", null, "10.34.0.0/16"))
                .put("/api/v1/sites/{s}", name)
                .then().statusCode(400).body("detail", containsString("cannot be renamed"));
        as(Tokens.admin()).contentType(ContentType.JSON).body(site(name, "same name is fine", "10.34.0.0/16"))
                .put("/api/v1/sites/{s}", name)
                .then().statusCode(200).body("description", equalTo("same name is fine"));
    }

    @Test
    void anUnknownSiteIs404WithAProblem() {
        as(Tokens.viewer()).get("/api/v1/sites/no-such-site").then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("no-such-site"));
        as(Tokens.admin()).contentType(ContentType.JSON).body(site(null, null, "10.35.0.0/16"))
                .put("/api/v1/sites/no-such-site").then().statusCode(404);
        as(Tokens.admin()).delete("/api/v1/sites/no-such-site").then().statusCode(404);
    }

    @Test
    void aPublisherCannotChangeSites() {
        String name = Api.newSite("guarded", "10.36.0.0/16");
        as(Tokens.publisher()).contentType(ContentType.JSON).body(site("pub-site", null, "10.37.0.0/16"))
                .post("/api/v1/sites").then().statusCode(403).contentType(startsWith("application/problem+json"));
        as(Tokens.publisher()).contentType(ContentType.JSON).body(site(null, null, "10.37.0.0/16"))
                .put("/api/v1/sites/{s}", name).then().statusCode(403);
        as(Tokens.publisher()).delete("/api/v1/sites/{s}", name).then().statusCode(403);
        assertThat(resolver.siteOf("10.36.0.1")).contains(name);
    }

    @Test
    void theApiDocumentShowsHowToWriteASite() {
        as(Tokens.viewer()).accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("components.schemas.SiteRequest.examples[0].cidrs", hasItem("10.1.0.0/16"))
                .body("components.schemas.SiteView.examples[0].name", equalTo("berlin"));
    }

    @Test
    void theDatabaseItselfRefusesOverlappingRanges() {
        String name = Api.newSite("backstop", "10.38.0.0/16");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "insert into site_cidr (site_id, cidr) select id, cast('10.38.7.0/24' as cidr) from site where name = ?1")
                .setParameter(1, name).executeUpdate()))
                .hasStackTraceContaining("site_cidr_no_overlap");
    }

    @Test
    void aRangeWrittenBehindTheApisBackDoesNotStopOtherSitesResolving() {
        String name = Api.newSite("odd-row", "10.39.0.0/16");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "insert into site_cidr (site_id, cidr) select id, cast('::ffff:10.40.0.0/112' as cidr) from site where name = ?1")
                .setParameter(1, name).executeUpdate());
        resolver.refresh();
        assertThat(resolver.siteOf("10.39.0.1")).contains(name);
        as(Tokens.admin()).delete("/api/v1/sites/{s}", name).then().statusCode(204);
    }
}
