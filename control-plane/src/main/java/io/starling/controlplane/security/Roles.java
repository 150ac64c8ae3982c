package io.starling.controlplane.security;

/** Keycloak realm roles (docs/security.md, "Who may do what"). */
public final class Roles {
    public static final String ADMIN = "starling-admin";
    public static final String PUBLISHER = "starling-publisher";
    public static final String OPERATOR = "starling-operator";
    public static final String VIEWER = "starling-viewer";
    public static final String AGENT = "starling-agent";

    private Roles() {
    }
}
