package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixConfig;
import io.melo.testkit.FakeHomeserver;
import org.junit.jupiter.api.Test;

/** Uses Melo only through its published POMs: the BOM, melo-core (compile) and melo-testkit (test). */
class ConsumerTest {

  @Test
  void talksToTheFakeHomeserver() {
    try (FakeHomeserver hs = FakeHomeserver.start();
        MatrixClient client = MatrixClient.create(MatrixConfig.builder(hs.baseUrl()).build())) {
      assertTrue(client.versions().execute().versions().contains("v1.11"), "the fake advertises v1.11");
    }
  }
}
