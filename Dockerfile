# Ponder: one binary, one config file, SQLite on a volume.
#   docker build -t ponder .
#   docker run -d --name ponder -v ponder-data:/data -e DISCORD_TOKEN -p 127.0.0.1:9464:9464 ponder
# The default config runs Discord (channels are set up with /ponder setup); mount
# your own config over /config/config.toml for anything else.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# Dependencies first, in their own layer: the manifests with placeholder
# sources, built once. Changing a source file below reuses this layer, so
# serenity, matrix-sdk and sqlx are not rebuilt.
COPY Cargo.toml Cargo.lock ./
COPY discord-emulator/Cargo.toml ./discord-emulator/Cargo.toml
RUN mkdir -p src benches/e2e discord-emulator/src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs discord-emulator/src/lib.rs \
    && echo 'fn main() {}' > discord-emulator/src/main.rs \
    && for b in scheduler prompt_loader e2e/main; do echo 'fn main() {}' > "benches/$b.rs"; done \
    && cargo build --release --locked --bin ponder \
    && rm -rf src discord-emulator/src benches \
    && rm -rf target/release/.fingerprint/ponder-* target/release/deps/ponder-* target/release/deps/libponder-*
# The workspace manifest names every member, so all of them are copied.
COPY discord-emulator ./discord-emulator
COPY migrations ./migrations
COPY migrations-postgres ./migrations-postgres
COPY locales ./locales
COPY prompts ./prompts
COPY benches ./benches
COPY src ./src
RUN cargo build --release --locked --bin ponder \
    && strip target/release/ponder

FROM debian:bookworm-slim
# CA certificates for the platforms' HTTPS APIs; time zones are compiled into the binary.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin ponder \
    && mkdir -p /data /config /app \
    && chown ponder:ponder /data
COPY --from=build /src/target/release/ponder /usr/local/bin/ponder
# The shipped prompts; mount a directory over /app/prompts to use your own.
COPY prompts /app/prompts
COPY docker/config.toml /config/config.toml
VOLUME ["/data"]
USER 10001:10001
WORKDIR /data
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["ponder", "healthcheck", "--url", "http://127.0.0.1:9464/healthz"]
# SIGTERM (docker stop) drains in-flight sends and exits 0 within 10 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["ponder"]
CMD ["run", "--config", "/config/config.toml"]
