package io.junction.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The manifests in kubernetes/ as a cluster would get them: rendered by kustomize, then checked
 * against the Kubernetes API schemas and types by scripts/k8s/validate.mjs (offline). Broken
 * manifests must be refused, or the check proves nothing. scripts/tools.sh installs both tools.
 */
class KubernetesManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = { "kubernetes/base", "kubernetes/overlays/local", "kubernetes/overlays/eks" })
    void everyRenderedManifestIsValid(String dir) throws Exception {
        Result rendered = run(List.of(kustomize(), "build", dir), null);
        assertThat(rendered.exit).as("kustomize build %s: %s", dir, rendered.err).isZero();
        Result checked = run(List.of("node", "scripts/k8s/validate.mjs"), rendered.out);
        assertThat(checked.exit).as("validation of %s:%n%s", dir, checked.err).isZero();
        assertThat(checked.out).contains(" 0 problems");
    }

    @ParameterizedTest
    @ValueSource(strings = { "wrong-field-name.yaml|does not exist in type 'Container'",
            "string-for-int.yaml|/spec/ports/0/port must be integer" })
    void aBrokenManifestIsRefused(String fixtureAndError) throws Exception {
        String[] parts = fixtureAndError.split("\\|");
        Path fixture = Path.of("src/test/resources/k8s-broken", parts[0]);
        Result checked = run(List.of("node", "scripts/k8s/validate.mjs", fixture.toString()), null);
        assertThat(checked.exit).as("validator exit for %s", fixture).isEqualTo(1);
        assertThat(checked.err).contains(parts[1]);
    }

    private static String kustomize() {
        Path local = Path.of("target", "tools", "kustomize");
        if (Files.isExecutable(local)) {
            return local.toString();
        }
        throw new IllegalStateException("kustomize is not installed: run scripts/tools.sh (scripts/test.sh does)");
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        File out = File.createTempFile("junction-k8s", ".out");
        File err = File.createTempFile("junction-k8s", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
        } finally {
            out.delete();
            err.delete();
        }
    }
}
