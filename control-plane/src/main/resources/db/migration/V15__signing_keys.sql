-- Key rotation (package signing). The first online key stays in its PEM file
-- (starling.signing.key-file); keys made later for rotation are kept here, so that every replica
-- can sign with them. An offline root key vouches for which keys agents trust: the key sets it
-- signed are kept as uploaded, byte for byte, the newest one being the one in force.
create table signing_key (
    key_id      varchar(16)   primary key,
    -- PEM (SubjectPublicKeyInfo).
    public_key  text          not null,
    -- PEM (PKCS#8). As sensitive as the key file: whoever reads this table can sign manifests that
    -- agents accept until the root revokes the key.
    private_key text          not null,
    created_at  timestamptz   not null,
    created_by  varchar(255)  not null
);

create table key_set (
    -- KeySet.version: grows with every set the root signs; agents refuse a lower one.
    version     bigint        primary key,
    -- The canonical JSON the root signed, and its Ed25519 signature.
    document    bytea         not null,
    signature   bytea         not null,
    uploaded_at timestamptz   not null,
    uploaded_by varchar(255)  not null
);
