package org.atrium.gateway.admin;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.List;
import org.atrium.model.TopTalker;
import org.atrium.model.ValidationException;

/** {@code /admin/v1/top-talkers?by=ip|user&limit=20}. */
public final class TopTalkersService implements HttpService {
    private final TopTalkersSource source;

    public TopTalkersService(TopTalkersSource source) {
        this.source = source;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> AdminBodies.json(res,
                top(req.query().first("by").orElse("ip"), req.query().first("limit").orElse("20"))));
    }

    public List<TopTalker> top(String by, String limitText) {
        ValidationException.require("ip".equals(by) || "user".equals(by), "by", "must be ip or user");
        int limit;
        try {
            limit = Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            throw new ValidationException("limit", "must be a number between 1 and 1000");
        }
        ValidationException.require(limit >= 1 && limit <= 1000, "limit", "must be a number between 1 and 1000");
        List<TopTalker> all = source.top(by, limit);
        return all.size() <= limit ? all : all.subList(0, limit);
    }
}
