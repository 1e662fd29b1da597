-- Every comment rewrites its ticket's search vector, and GIN queues new entries in a pending list that
-- every search reads through until the list is merged into the index, at 4 MB by default. At 1M
-- tickets, after a few thousand replies the list held 460 pages: the newest-window search of
-- "websocket" took 7.3 ms warm, 4.4 ms once the list was merged. A 512 kB limit merges it eight times
-- as often, in smaller steps. One rerun each on a noisy machine: replies 0.55 → 0.57 of the raw
-- server's rate (the merges did not slow writes measurably), full-text searches 67 → 92 a second.
ALTER INDEX ticket_search_idx SET (gin_pending_list_limit = 512);
