package io.starling.controlplane.rollout;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.starling.controlplane.deployment.Deployment;
import io.starling.controlplane.fleet.Agent;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * One targeted agent of a rollout: its wave, chosen once at creation, and its deployment once the
 * wave has started. Kept here so that deployments know nothing of rollouts.
 */
@Entity
@Table(name = "rollout_agent")
public class RolloutAgent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rollout_id", nullable = false)
    public UUID rolloutId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "wave_id")
    public Wave wave;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "agent_id")
    public Agent agent;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "deployment_id")
    public Deployment deployment;
}
