package io.starling.controlplane.site;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

/** One range of a site, stored in PostgreSQL's {@code cidr} type so that the database refuses overlaps too. */
@Entity
@Table(name = "site_cidr")
public class SiteCidr extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "site_id")
    public Site site;

    /** Normalised text ({@link Cidr#toString()}); the JDBC driver binds strings as varchar, hence the casts. */
    @Column(nullable = false)
    @ColumnTransformer(read = "text(cidr)", write = "cast(? as cidr)")
    public String cidr;

    public Cidr parsed() {
        return Cidr.parse(cidr);
    }
}
