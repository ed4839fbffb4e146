package io.junction.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OutboxRelayTest {

    @Test
    void batchesHoldAtMostTenEntriesInOrder() {
        List<OutboxEntry> entries = entries(25, 100);
        List<List<OutboxEntry>> batches = OutboxRelay.batches(entries);
        assertThat(batches).extracting(List::size).containsExactly(10, 10, 5);
        assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(entries);
    }

    @Test
    void batchesStayUnder256KiB() {
        List<List<OutboxEntry>> batches = OutboxRelay.batches(entries(5, 100 * 1024));
        assertThat(batches).extracting(List::size).containsExactly(2, 2, 1);
    }

    @Test
    void failureReasonsBecomeShortCodes() {
        assertThat(OutboxRelay.reasonCode("PublishBatch to t: NotFound (HTTP 404) Topic does not exist")).isEqualTo("NotFound");
        assertThat(OutboxRelay.reasonCode("InvalidParameter: message too long")).isEqualTo("InvalidParameter");
        assertThat(OutboxRelay.reasonCode("PublishBatch to t: software.amazon.awssdk.core.exception.SdkClientException: x"))
                .isEqualTo("SdkClientException");
        assertThat(OutboxRelay.reasonCode("no ARN configured for topic 'a'")).isEqualTo("TopicNotConfigured");
        assertThat(OutboxRelay.reasonCode(null)).isEqualTo("unknown");
    }

    private static List<OutboxEntry> entries(int n, int size) {
        List<OutboxEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new OutboxEntry(Integer.toString(i), "e" + i, "t", "type", null, null, Map.of(), new byte[size], 0, 0));
        }
        return out;
    }
}
