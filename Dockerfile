# syntax=docker/dockerfile:1
# The add-on image: the program is compiled to a native program (Native AOT) for the image's own architecture, then
# copied onto Home Assistant's Debian base image, whose s6 starts it. CI (.ci/run) runs the same publish for linux-x64
# and runs the tests against what it built.
#
# glibc on Debian rather than musl on Alpine: CI can build and test only the glibc flavour (the musl ILCompiler is not
# available to it), so the image carries the flavour whose every test passed.
#
# The Supervisor builds an add-on with `docker buildx build --platform linux/<arch> --pull` and the build arguments
# BUILD_ARCH and BUILD_VERSION; without a build.yaml (deprecated) the Dockerfile names its base images itself
# (github.com/home-assistant/supervisor, supervisor/apps/build.py at 090ef31ec024952c2469ed5a7c9f3ce8c1a5499e).

# The .NET SDK with the native toolchain Native AOT links with (clang, llvm, zlib1g-dev), for amd64 and arm64, on
# Ubuntu 24.04 (glibc 2.39) (github.com/dotnet/dotnet-docker, README.sdk.md and src/sdk/10.0/noble-aot/*/Dockerfile at
# 3ed00b611cc88eaa5995525a0549a5703965cd02). Native AOT compiles for the architecture it runs on, so this stage runs
# on the target's platform: natively where the Supervisor builds (a Raspberry Pi builds arm64 on arm64).
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble-aot AS build
ARG TARGETARCH
ARG BUILD_ARCH
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props nuget.config global.json ./
COPY src/ src/
RUN arch="${TARGETARCH:-${BUILD_ARCH:-$(uname -m)}}" \
    && case "$arch" in \
         amd64|x86_64) rid=linux-x64 ;; \
         arm64|aarch64) rid=linux-arm64 ;; \
         *) echo "unsupported architecture: $arch" >&2; exit 1 ;; \
       esac \
    && dotnet publish src/TasmoGuardian/TasmoGuardian.csproj -c Release -r "$rid" -o /publish \
    && mkdir /app \
    && cp /publish/TasmoGuardian /publish/libe_sqlite3.so /app/

# Debian 13 "trixie" (glibc 2.41, newer than the build stage's 2.39), published for amd64 and aarch64 under one name
# since docker-base 2026.03.1, with bash, bashio, s6-overlay, tzdata and ca-certificates (github.com/home-assistant/
# docker-base, README.md and debian/Dockerfile at c8de5ab6449d496036adaa23c6f64354fdaea1d2).
FROM ghcr.io/home-assistant/base-debian:trixie

# What the native program loads at run time besides the C library: OpenSSL (libssl.so.3, for TLS to the broker; trixie
# names the package libssl3t64), the time zones (TZ, set by the Supervisor, names the local time) and the CA
# certificates. The SQLite library travels with the program (libe_sqlite3.so); no .NET runtime, no ICU (invariant
# globalization), no zlib (the runtime carries its own).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl3t64 tzdata ca-certificates \
    && rm -rf /var/lib/apt/lists/*

COPY --from=build /app /opt/tasmo_guardian
COPY addon/rootfs /

# s6 waits this long (ms) for the program after SIGTERM, so the backup in flight can finish (see StopBudget.cs);
# config.yaml's timeout gives s6 itself longer still.
# DOTNET_GCgen0size: the GC's first generation is sized from the CPU cache, several MiB, and a backup-all's many small
# allocations grow the heap to it before the first collection; 1 MiB keeps the peak near the live data (README,
# "Performance"). Only the environment variable sets it. The native runtime reads DOTNET_* numbers as hexadecimal
# digits without a 0x prefix and silently ignores a value that has one.
ENV TASMO_GUARDIAN_HEALTH_FILE=/tmp/tasmo_guardian.healthy \
    S6_SERVICES_GRACETIME=30000 \
    DOTNET_GCgen0size=100000

# The program touches the file every 15 s while its broker connection is up; the Supervisor's watchdog restarts an
# unhealthy add-on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD find /tmp/tasmo_guardian.healthy -mmin -2 | grep -q . || exit 1

# No LABELs: the Supervisor's builder sets io.hass.* (name, description, version, arch, type) and the OCI labels from
# config.yaml itself, so a copy here could only disagree with it.
