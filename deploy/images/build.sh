#!/usr/bin/env bash
# Builds the three service images as OCI archives with no container engine and no access to a public registry:
#   1. a base image from Debian's packages (debootstrap --variant=minbase, bookworm) plus the ASP.NET Core runtime of the
#      .NET SDK installed here (/usr/share/dotnet), as user 1654 listening on 8080 like Microsoft's aspnet images;
#   2. umoci packs it into an OCI layout, skopeo pushes it to a Debian docker-registry on loopback;
#   3. the .NET SDK's PublishContainer builds each service on top of it and writes an archive.
# Usage (root, for debootstrap):  deploy/images/build.sh [OUTPUT]    OUTPUT defaults to artifacts/images
# Needs: apt-get install debootstrap umoci skopeo docker-registry curl. With a registry at hand, use the normal path
# instead (docs/kubernetes.md#images).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(realpath -m "${1:-artifacts/images}")
work=$(mktemp -d)
registry_pid=
cleanup() { [ -z "$registry_pid" ] || kill "$registry_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$out"
tag=0.1.0
runtime=$(ls /usr/share/dotnet/shared/Microsoft.AspNetCore.App | sort -V | tail -1)

echo "base: Debian bookworm (minbase) + ASP.NET Core $runtime"
rootfs="$work/rootfs"
debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,zlib1g,libstdc++6,tzdata \
  bookworm "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
mkdir -p "$rootfs/usr/share/dotnet/shared" "$rootfs/usr/share/dotnet/host" "$rootfs/app"
cp -a /usr/share/dotnet/dotnet "$rootfs/usr/share/dotnet/"
cp -a /usr/share/dotnet/host/fxr "$rootfs/usr/share/dotnet/host/"
cp -a "/usr/share/dotnet/shared/Microsoft.NETCore.App" "/usr/share/dotnet/shared/Microsoft.AspNetCore.App" "$rootfs/usr/share/dotnet/shared/"
ln -sf /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
chroot "$rootfs" groupadd --gid 1654 app
chroot "$rootfs" useradd --uid 1654 --gid 1654 --create-home app
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

layout="$work/oci"
umoci init --layout "$layout"
umoci new --image "$layout:base"
umoci unpack --image "$layout:base" "$work/bundle" >/dev/null
cp -a "$rootfs/." "$work/bundle/rootfs/"
umoci repack --image "$layout:base" "$work/bundle"
umoci config --image "$layout:base" --tag bookworm --os linux --architecture amd64 \
  --config.user 1654 --config.workingdir /app \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.env DOTNET_ROOT=/usr/share/dotnet \
  --config.env APP_UID=1654 --config.env ASPNETCORE_HTTP_PORTS=8080 --config.env DOTNET_RUNNING_IN_CONTAINER=true

# A registry on a free loopback port, only for this build.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$work/registry" "$port" >"$work/registry.yml"
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done
skopeo copy --quiet --dest-tls-verify=false "oci:$layout:bookworm" "docker://127.0.0.1:$port/fer-base:bookworm"

export DOTNET_CONTAINER_INSECURE_REGISTRIES="127.0.0.1:$port"
for service in gateway inference trainer; do
  project="Fer.${service^}"
  dotnet publish "$project" -c Release -r linux-x64 --self-contained false -t:PublishContainer \
    -p:ContainerBaseImage="127.0.0.1:$port/fer-base:bookworm" -p:ContainerRepository="fer-$service" -p:ContainerImageTag="$tag" \
    -p:ContainerArchiveOutputPath="$out/fer-$service-$tag.tar"
done
ls -l "$out"
