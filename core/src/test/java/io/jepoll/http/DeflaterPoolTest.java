package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** The pool's bounds, and that every deflater it made is ended once it cannot be kept. */
class DeflaterPoolTest {

    @Test
    void reusesIdleOnesAndEndsWhatItCannotKeep() {
        DeflaterPool pool = new DeflaterPool(6, 2, 5);
        List<Deflater> taken = new ArrayList<>();
        for (int i = 0; i < 5; i++) taken.add(pool.take());
        assertThat(taken).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(pool.live()).isEqualTo(5);
        assertThat(pool.take()).as("at maxLive").isNull();
        for (Deflater d : taken) pool.give(d);
        assertThat(pool.live()).as("two kept, three ended").isEqualTo(2);
        long ended = taken.stream().filter(DeflaterPoolTest::isEnded).count();
        assertThat(ended).isEqualTo(3);
        Deflater again = pool.take();
        assertThat(taken).contains(again);
        assertThat(isEnded(again)).isFalse();
        pool.give(again);
        pool.close();
        assertThat(pool.live()).isZero();
        assertThat(taken.stream().filter(DeflaterPoolTest::isEnded).count()).isEqualTo(5);
        assertThat(pool.take()).as("closed").isNull();
    }

    @Test
    void oneGivenBackAfterCloseIsEnded() {
        DeflaterPool pool = new DeflaterPool(1, 4, 4);
        Deflater d = pool.take();
        pool.close();
        assertThat(pool.live()).isEqualTo(1);
        pool.give(d);
        assertThat(pool.live()).isZero();
        assertThat(isEnded(d)).isTrue();
        pool.give(null); // a failed take given back: nothing happens
        pool.close();
        assertThat(pool.live()).isZero();
    }

    @Test
    void aDeflaterComesBackResetWhateverItsState() {
        DeflaterPool pool = new DeflaterPool(6, 1, 1);
        Deflater d = pool.take();
        d.setInput(new byte[1000]);
        d.deflate(new byte[10]); // mid-stream, as a writer that failed leaves it
        pool.give(d);
        Deflater same = pool.take();
        assertThat(same).isSameAs(d);
        byte[] data = "abcabcabc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(Gzip.compress(same, data, 0, data.length)).isNotEmpty();
        pool.give(same);
        pool.close();
    }

    @Test
    void manyThreadsNeverExceedTheBound() throws Exception {
        DeflaterPool pool = new DeflaterPool(1, 3, 8);
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        int[] maxSeen = new int[1];
        for (int t = 0; t < threads; t++) {
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 500; i++) {
                    Deflater d = pool.take();
                    synchronized (maxSeen) {
                        maxSeen[0] = Math.max(maxSeen[0], pool.live());
                    }
                    pool.give(d);
                }
            }));
        }
        go.countDown();
        for (Thread t : all) t.join(30_000);
        assertThat(maxSeen[0]).isLessThanOrEqualTo(8);
        assertThat(pool.live()).isLessThanOrEqualTo(3);
        pool.close();
        assertThat(pool.live()).isZero();
    }

    @Test
    void boundsAreChecked() {
        assertThatThrownBy(() -> new DeflaterPool(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeflaterPool(10, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeflaterPool(6, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeflaterPool(6, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** An ended deflater refuses to work: the JDK checks for it on every call. */
    static boolean isEnded(Deflater d) {
        try {
            d.getTotalIn();
            return false;
        } catch (IllegalStateException e) { // "Deflater has been closed"
            return true;
        }
    }
}
