package org.atrium.gateway.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.atrium.gateway.state.AuditChain;
import org.atrium.model.AuditEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code audit verify}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Check the audit trail.")
final class AuditCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify the audit trail's hash chain. Exit 0 when intact, 4 with the first broken link."
                    + " With --data-dir (and no --gateway) it checks that data dir, not a running gateway.")
    int verify(@Mixin ConnectionOptions conn) {
        List<AuditEntry> entries;
        try (AdminClient c = conn.openDataDirWhenNamed()) {
            entries = c.audit();
        }
        // the data dir's key and checkpoint (readable by the gateway's user): keyed entries, a cut tail
        Optional<String> broken = AuditChain.firstBrokenLink(entries,
                org.atrium.gateway.state.AuditSeal.existing(conn.dataDir()));
        PrintWriter out = spec.commandLine().getOut();
        if (conn.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("intact", broken.isEmpty());
            m.put("entries", entries.size());
            broken.ifPresent(b -> m.put("firstBrokenLink", b));
            Output.json(out, m);
        } else {
            out.println(broken.map(b -> "audit chain broken: " + b)
                    .orElse("audit chain intact (" + entries.size() + " entries)"));
            out.flush();
        }
        return broken.isPresent() ? ExitCodes.AUDIT_BROKEN : ExitCodes.OK;
    }
}
