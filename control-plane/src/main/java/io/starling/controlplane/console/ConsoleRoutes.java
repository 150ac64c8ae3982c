package io.starling.controlplane.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Serves the console (built by admin-ui into META-INF/resources) as a single-page app: a GET for
 * one of its routes ({@code /agents/7d1e…}) answers index.html, so deep links survive a reload and
 * the login redirect. A Vert.x route in front of the static handler rather than a catch-all JAX-RS
 * resource, which would turn the API's own 404s into HTML.
 */
@ApplicationScoped
public class ConsoleRoutes {

    /** Served by others: the API, Quarkus' own endpoints, the tracker, the web seed. */
    private static final List<String> NOT_CONSOLE = List.of("/api", "/q", "/announce", "/scrape", "/seed");

    /**
     * Files, not routes, whether they exist or not. A list of types rather than "has a dot": the
     * console's release pages end in versions such as {@code 2.4.1}.
     */
    private static final Pattern FILE = Pattern.compile(
            ".*\\.(js|mjs|css|map|html?|json|txt|xml|ico|png|svg|jpe?g|gif|webp|avif|woff2?|ttf|otf|webmanifest)$",
            Pattern.CASE_INSENSITIVE);

    /** Vite names everything under /assets by content hash: a changed file is a new URL. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** index.html names the current hashes: the browser must check it on every load. */
    static final String REVALIDATE = "no-cache";

    /** Before the static resource handler, after the tracker's routes. */
    static final int ORDER = -900_000;

    /** Empty when the build skipped the console (-Dui.skip). */
    private Optional<Buffer> index = Optional.empty();

    void register(@Observes Router router) {
        // Read once, at start: the build's index.html does not change while the application runs.
        index = read();
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            ctx.next();
            return;
        }
        String path = ctx.normalizedPath();
        if (path.startsWith("/assets/")) {
            cacheWhenFound(ctx, IMMUTABLE);
            ctx.next();
        } else if (path.equals("/index.html")) {
            cacheWhenFound(ctx, REVALIDATE);
            ctx.next();
        } else if (isConsoleRoute(path)) {
            Optional<Buffer> page = index;
            if (page.isPresent()) {
                ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                        .putHeader("Cache-Control", REVALIDATE);
                if (method == HttpMethod.HEAD) {
                    ctx.response().putHeader("Content-Length", String.valueOf(page.get().length())).end();
                } else {
                    ctx.response().end(page.get());
                }
            } else {
                ctx.next(); // built with -Dui.skip: no console
            }
        } else {
            ctx.next();
        }
    }

    static boolean isConsoleRoute(String path) {
        for (String prefix : NOT_CONSOLE) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return false;
            }
        }
        return !FILE.matcher(path).matches();
    }

    private static void cacheWhenFound(RoutingContext ctx, String cacheControl) {
        ctx.addHeadersEndHandler(v -> {
            int status = ctx.response().getStatusCode();
            if (status == 200 || status == 206 || status == 304) {
                ctx.response().putHeader("Cache-Control", cacheControl);
            }
        });
    }

    private static Optional<Buffer> read() {
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream("META-INF/resources/index.html")) {
            return in == null ? Optional.empty() : Optional.of(Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
