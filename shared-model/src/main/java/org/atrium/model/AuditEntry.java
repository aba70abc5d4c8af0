package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One admin change. Entries are hash-chained: {@code hash} covers every other field and
 * {@code prevHash}, so editing or deleting an entry breaks the chain.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(long seq, Instant at, String actor, String address, String action, String target,
                         String before, String after, String prevHash, String hash) {
}
