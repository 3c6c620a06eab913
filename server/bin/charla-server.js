#!/usr/bin/env node
// The published server runs its compiled JavaScript (in this repository, bin/charla-server.mjs runs the sources).
import '../dist/cli.js';
