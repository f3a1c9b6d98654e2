-- wrk script: log in over and over (each one a full Argon2id verification).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"handle":"bench_member","password":"lantern orchard mosaic tide"}'
