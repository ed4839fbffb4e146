package io.junction.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.junction.support.JunctionProcess;
import io.junction.support.RedisServer;

/**
 * junction.js against two real pods on one Redis (scripts/web/junction.test.mjs, Node's own test
 * runner): subscribe and publish, refused frames, and a pod stopped under it (1012) — the client
 * resumes on the other pod with no gap and no duplicate.
 */
class JavaScriptClientIT {

    @Test
    void theJavaScriptClientPassesItsTestsAgainstRealPods() throws Exception {
        try (RedisServer redis = new RedisServer().start()) {
            Map<String, String> env = Map.of("JUNCTION_BUS", "redis", "QUARKUS_REDIS_HOSTS", redis.url());
            try (JunctionProcess a = new JunctionProcess("node-a", env).start();
                    JunctionProcess b = new JunctionProcess("node-b", env).start()) {
                NodeScript.Result result = NodeScript.run(
                        List.of("node", "--experimental-websocket", "--test", "scripts/web/junction.test.mjs"),
                        Map.of("JUNCTION_A", a.http("").toString(), "JUNCTION_B", b.http("").toString(),
                                "JUNCTION_A_PID", Long.toString(a.pid())),
                        120);
                System.out.println(result.output());
                assertThat(result.exit()).as("node --test output:%n%s", result.output()).isZero();
                assertThat(result.output()).contains("# pass 3").contains("# fail 0");
            }
        }
    }
}
