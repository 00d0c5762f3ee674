package dev.genaiplatform.load;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JfrBucketsTests {

    private final Map<String, List<String>> buckets = JfrBuckets.parse(List.of(
            "token=CachingJwtDecoder|InternalTokenIssuer", "kafka-poll=KafkaConsumer.poll"));

    @Test
    void aSampleGoesToTheFirstBucketAnyOfItsFramesMatchesHoweverDeep() {
        List<String> verifyingInsideAPoll = List.of("org.bouncycastle.ECDSASigner.verifySignature",
                "dev.genaiplatform.tokenverification.CachingJwtDecoder.decode",
                "org.apache.kafka.clients.consumer.KafkaConsumer.poll", "java.lang.Thread.run");

        assertThat(JfrBuckets.bucketOf(verifyingInsideAPoll, buckets)).isEqualTo("token");
        assertThat(JfrBuckets.bucketOf(List.of("org.apache.kafka.clients.consumer.KafkaConsumer.poll"), buckets))
                .isEqualTo("kafka-poll");
        assertThat(JfrBuckets.bucketOf(List.of("org.apache.lucene.search.IndexSearcher.search"), buckets))
                .isEqualTo(JfrBuckets.REST);
    }

    @Test
    void bucketsKeepTheOrderTheyWereGiven() {
        assertThat(buckets.keySet()).containsExactly("token", "kafka-poll");
        assertThat(buckets.get("token")).containsExactly("CachingJwtDecoder", "InternalTokenIssuer");
    }

    @Test
    void refusesBucketsThatCannotMeanWhatTheySay() {
        assertThatIllegalArgumentException().isThrownBy(() -> JfrBuckets.parse(List.of("token"))).withMessageContaining("name=part");
        assertThatIllegalArgumentException().isThrownBy(() -> JfrBuckets.parse(List.of("=x"))).withMessageContaining("name=part");
        assertThatIllegalArgumentException().isThrownBy(() -> JfrBuckets.parse(List.of("a=x||y"))).withMessageContaining("empty part");
        assertThatIllegalArgumentException().isThrownBy(() -> JfrBuckets.parse(List.of("a=x", "a=y"))).withMessageContaining("twice");
        assertThatIllegalArgumentException().isThrownBy(() -> JfrBuckets.parse(List.of("the rest=x"))).withMessageContaining("twice");
    }
}
