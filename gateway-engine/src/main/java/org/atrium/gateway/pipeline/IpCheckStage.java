package org.atrium.gateway.pipeline;

import java.time.Clock;
import org.atrium.gateway.state.StateView;
import org.atrium.model.BanType;
import org.atrium.model.ErrorCode;

/**
 * Stage 2: IP bans, and task bans for {@code /api/task/{task}} (the reference gateway checks both
 * before the token, so a banned client learns nothing about token validity).
 */
public final class IpCheckStage implements Stage {
    private final StateView state;
    private final Clock clock;

    public IpCheckStage(StateView state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    @Override
    public int order() {
        return IP_CHECKS;
    }

    @Override
    public void apply(Exchange ex) throws Rejection {
        var now = clock.instant();
        if (state.bans().find(BanType.IP, ex.clientIp(), now).isPresent()) {
            throw blacklisted("ip", ex.clientIp());
        }
        if (ex.kind() == Exchange.Kind.TASK && ex.taskId() != null
                && state.bans().find(BanType.TASK, ex.taskId(), now).isPresent()) {
            throw blacklisted("task", ex.taskId());
        }
    }

    static Rejection blacklisted(String type, String target) {
        return new Rejection(ErrorCode.BLACKLISTED, "Access denied").with("reason", "Blacklisted " + type + ": " + target);
    }
}
