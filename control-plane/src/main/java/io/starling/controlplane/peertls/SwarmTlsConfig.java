package io.starling.controlplane.peertls;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Peers that prove who they are: libtorrent SSL torrents, docs/security.md. */
@ConfigMapping(prefix = "starling.swarm")
public interface SwarmTlsConfig {

    /**
     * Publish SSL torrents: only holders of a certificate from this fleet's swarm CA (enrolled,
     * unrevoked agents and the origin seeder) exchange pieces. Off: plain torrents, which stock
     * BitTorrent clients can join too. Decided per release when it is published; the web seed is
     * HTTP and serves either kind.
     */
    @WithDefault("true")
    boolean ssl();

    /**
     * How long an agent's peer certificate is valid. Agents ask for a new one at check-in once
     * half of it has passed; a revoked agent gets none, and drops out of SSL swarms at the latest
     * when its certificate expires. Keep it several check-in intervals long.
     */
    @WithDefault("PT24H")
    Duration certificateValidity();

    /** How long the swarm CA, made once, is valid. */
    @WithDefault("P3650D")
    Duration caValidity();

    /**
     * A CA of your own as the swarm CA (PEM certificate), with {@link #caKeyFile()}; none: the
     * control plane makes one and keeps it in the database. libtorrent checks an HTTPS tracker and
     * web seed of an SSL torrent against the torrent's CA and nothing else, so announcing over
     * {@code https://} needs the control plane's certificate to come from this CA
     * (docs/security.md, "HTTPS on every control channel").
     */
    Optional<Path> caCertificateFile();

    /** The private key of {@link #caCertificateFile()}: PKCS#8 PEM, EC ({@code BEGIN PRIVATE KEY}). */
    Optional<Path> caKeyFile();
}
