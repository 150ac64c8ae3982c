package io.starling.controlplane.production;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.starling.controlplane.common.StarlingConfig;
import io.starling.controlplane.database.EmbeddedDatabase;
import io.starling.controlplane.fleet.KeycloakConfig;
import io.starling.controlplane.signing.SigningConfig;
import io.starling.controlplane.signing.SigningKey;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * In the {@code prod} profile (a packaged control plane started without another profile) the
 * control plane refuses to start on the quick start's conveniences: a published Keycloak secret,
 * a signing key it made up itself, a key file others can read, an embedded database, forwarded
 * client addresses believed from anyone. The quick
 * start, the benchmarks and the system tests run the {@code demo} profile instead.
 */
@ApplicationScoped
class ProductionGuard {

    private static final Logger LOG = Logger.getLogger(ProductionGuard.class);

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start, KeycloakConfig keycloak,
            SigningConfig signing, StarlingConfig starling) {
        if (!ConfigUtils.isProfileActive("prod")) {
            return;
        }
        Config config = ConfigProvider.getConfig();
        boolean forwardedFromAnyone = config.getOptionalValue("quarkus.http.proxy.proxy-address-forwarding", Boolean.class)
                .orElse(false) && config.getOptionalValues("quarkus.http.proxy.trusted-proxies", String.class)
                .map(List::isEmpty).orElse(true);
        List<String> reasons = DemoDefaults.found(new DemoDefaults.Facts(keycloak.clientSecret(),
                signing.generateIfMissing(), SigningKey.fileOf(signing, starling), EmbeddedDatabase.running(),
                forwardedFromAnyone));
        if (reasons.isEmpty()) {
            return;
        }
        reasons.forEach(r -> LOG.error("Refusing to start in production: " + r));
        throw new Refused(reasons.size() + " quick-start default(s) in the prod profile (see the lines above);"
                + " for a trial on this machine start with -Dquarkus.profile=demo, as deploy/quickstart.sh does");
    }

    /** Its message is the whole story; a stack trace would bury the reasons logged above it. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
