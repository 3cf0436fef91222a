# syntax=docker/dockerfile:1
# The add-on image: the program is published self-contained for musl (Alpine) on the build machine's SDK, then
# copied onto Home Assistant's base image, whose s6 starts it. CI runs the same publish for linux-x64.

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ARG BUILD_ARCH
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props nuget.config global.json ./
COPY src/ src/
RUN arch="${TARGETARCH:-${BUILD_ARCH:-$(uname -m)}}" \
    && case "$arch" in \
         amd64|x86_64) rid=linux-musl-x64 ;; \
         arm64|aarch64) rid=linux-musl-arm64 ;; \
         *) echo "unsupported architecture: $arch" >&2; exit 1 ;; \
       esac \
    && dotnet publish src/TasmoGuardian/TasmoGuardian.csproj -c Release -r "$rid" --self-contained -p:PublishTrimmed=true -o /app

FROM ghcr.io/home-assistant/base:3.24

# The self-contained runtime needs the C++ runtime. The base image already has tzdata (TZ, set by the Supervisor,
# names the local time), ca-certificates and bash for the s6 scripts.
RUN apk add --no-cache libstdc++ libgcc

COPY --from=build /app /opt/tasmo_guardian
COPY addon/rootfs /

# s6 waits this long (ms) for the program after SIGTERM, so the backup in flight can finish (see StopBudget.cs);
# config.yaml's timeout gives s6 itself longer still.
# DOTNET_GCgen0size: the GC's first generation is sized from the CPU cache, several MiB, and a backup-all's many small
# allocations grow the heap to it before the first collection; 1 MiB keeps the peak near the live data (README,
# "Performance": 84 → 66 MiB at 500 devices). Only the environment variable sets it; the runtimeconfig knob is ignored.
# DOTNET_EnableDiagnostics=0: no diagnostics IPC socket in /tmp (nobody attaches a debugger to an app), one thread less.
ENV TASMO_GUARDIAN_HEALTH_FILE=/tmp/tasmo_guardian.healthy \
    S6_SERVICES_GRACETIME=30000 \
    DOTNET_GCgen0size=0x100000 \
    DOTNET_EnableDiagnostics=0

# The program touches the file every 15 s while its broker connection is up; the Supervisor's watchdog restarts an
# unhealthy add-on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD find /tmp/tasmo_guardian.healthy -mmin -2 | grep -q . || exit 1

# No LABELs: the Supervisor's builder sets io.hass.* (name, description, version, arch, type) and the OCI labels from
# config.yaml itself, so a copy here could only disagree with it.
