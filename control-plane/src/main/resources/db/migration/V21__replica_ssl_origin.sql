-- Each replica's origin seeder also takes TLS peers for SSL torrents, on a port of its own: the
-- tracker swaps it in for the plain address when it answers an SSL torrent's announce.
alter table control_plane_replica add column origin_ssl_peer varchar(300);
