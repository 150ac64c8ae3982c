package io.starling.controlplane.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** One file of a release, with everything needed to build its torrent without reading it again. */
@Entity
@Table(name = "artifact")
public class Artifact extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "release_id")
    public Release release;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public long size;

    @Column(nullable = false)
    public String sha256;

    @Column(name = "piece_length", nullable = false)
    public int pieceLength;

    @Basic(fetch = FetchType.LAZY)
    @Column(name = "v1_pieces", nullable = false)
    public byte[] v1Pieces;

    @Basic(fetch = FetchType.LAZY)
    @Column(name = "v2_piece_layer", nullable = false)
    public byte[] v2PieceLayer;

    @Column(name = "v2_pieces_root", nullable = false)
    public byte[] v2PiecesRoot;

    /** The bencoded info dictionary, fixed at publish time; every per-agent torrent embeds it as is. */
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "info_dict")
    public byte[] infoDict;

    @Column(name = "info_hash_v1")
    public String infoHashV1;

    @Column(name = "info_hash_v2")
    public String infoHashV2;

    @Column(name = "blob_key", nullable = false)
    public String blobKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static Optional<Artifact> find(String product, String version, String file) {
        return find("release.product.name = ?1 and release.version = ?2 and name = ?3", product, version, file)
                .firstResultOptional();
    }
}
