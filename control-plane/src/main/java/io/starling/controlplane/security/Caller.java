package io.starling.controlplane.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/** Who is calling, as recorded in audit entries and "created by" columns. */
@RequestScoped
public class Caller {

    private final SecurityIdentity identity;

    Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String name() {
        return name(identity);
    }

    /** An agent's identity (an agent's Keycloak client): never a person's, whatever else it holds. */
    public boolean isAgent() {
        return identity != null && !identity.isAnonymous() && identity.hasRole(Roles.AGENT);
    }

    public static String name(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return "anonymous";
        }
        return identity.getPrincipal().getName();
    }
}
