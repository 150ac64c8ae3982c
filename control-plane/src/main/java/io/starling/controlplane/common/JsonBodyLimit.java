package io.starling.controlplane.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Bounds every JSON document the API reads to {@code starling.api.max-json-body}. Jackson counts the
 * bytes as it parses and stops at the bound, so an oversized body is refused after reading at most
 * that much, whether or not it declared a Content-Length ({@link ProblemMapper} answers 413).
 */
@Singleton
public class JsonBodyLimit implements ObjectMapperCustomizer {

    private final long maxBytes;

    JsonBodyLimit(ApiConfig config) {
        this.maxBytes = config.maxJsonBody().asLongValue();
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(
                mapper.getFactory().streamReadConstraints().rebuild().maxDocumentLength(maxBytes).build());
    }
}
