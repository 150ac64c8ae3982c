package io.starling.controlplane.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Who did what, when, and how it ended. Written for every mutating API call, success or not. */
@Entity
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String actor;

    /** The HTTP method: POST, PUT, DELETE, PATCH. */
    @Column(nullable = false)
    public String action;

    /** The request path, e.g. /api/v1/products/office/releases/2.4.1/publish. */
    @Column(nullable = false)
    public String target;

    @Column(nullable = false)
    public int status;

    @Column(nullable = false)
    public String outcome;

    public String detail;
}
