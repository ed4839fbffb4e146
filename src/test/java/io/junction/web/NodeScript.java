package io.junction.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the Node scripts under scripts/web and returns its exit code and output. */
final class NodeScript {

    record Result(int exit, String output) {
    }

    private NodeScript() {
    }

    static Result run(List<String> args, Map<String, String> env, long timeoutSeconds) throws Exception {
        Path log = Files.createTempFile("junction-node", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(new File(log.toString())));
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, Files.readString(log) + "\n(timed out after " + timeoutSeconds + " s)");
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
