;; SIMD dot products for the batched nearest-neighbour search (source of dots-wasm.ts).
;; scores(rows, nr, d, qs, nq, out): out[r * nq + q] = sum_j rows[r * d + j] * qs[q * d + j]
;; for r < nr, q < nq; pointers are byte offsets, d is a multiple of 4 (callers pad with zeros).
;; Four queries share each loaded row vector (four independent f32x4 accumulators).
;; Build: wat2wasm dots.wat -o dots.wasm (wabt 1.0.32), then base64 into dots-wasm.ts.
(module
  (memory (export "memory") 1)
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))
  (func (export "scores") (param $rows i32) (param $nr i32) (param $d i32) (param $qs i32) (param $nq i32) (param $out i32)
    (local $r i32) (local $q i32) (local $j i32) (local $bytes i32) (local $rp i32)
    (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $o i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $v v128)
    (local.set $bytes (i32.shl (local.get $d) (i32.const 2)))
    (local.set $q (i32.const 0))
    ;; groups of four queries
    (block $qdone
      (loop $qloop
        (br_if $qdone (i32.gt_u (i32.add (local.get $q) (i32.const 4)) (local.get $nq)))
        (local.set $q0 (i32.add (local.get $qs) (i32.mul (local.get $q) (local.get $bytes))))
        (local.set $q1 (i32.add (local.get $q0) (local.get $bytes)))
        (local.set $q2 (i32.add (local.get $q1) (local.get $bytes)))
        (local.set $q3 (i32.add (local.get $q2) (local.get $bytes)))
        (local.set $r (i32.const 0))
        (block $rdone
          (loop $rloop
            (br_if $rdone (i32.ge_u (local.get $r) (local.get $nr)))
            (local.set $rp (i32.add (local.get $rows) (i32.mul (local.get $r) (local.get $bytes))))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (block $jdone
              (loop $jloop
                (br_if $jdone (i32.ge_u (local.get $j) (local.get $bytes)))
                (local.set $v (v128.load (i32.add (local.get $rp) (local.get $j))))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $q0) (local.get $j))))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $q1) (local.get $j))))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $q2) (local.get $j))))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $q3) (local.get $j))))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $jloop)))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $nq)) (local.get $q)) (i32.const 2))))
            (f32.store (local.get $o) (call $hsum (local.get $a0)))
            (f32.store offset=4 (local.get $o) (call $hsum (local.get $a1)))
            (f32.store offset=8 (local.get $o) (call $hsum (local.get $a2)))
            (f32.store offset=12 (local.get $o) (call $hsum (local.get $a3)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rloop)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $qloop)))
    ;; the remaining queries one at a time
    (block $q1done
      (loop $q1loop
        (br_if $q1done (i32.ge_u (local.get $q) (local.get $nq)))
        (local.set $q0 (i32.add (local.get $qs) (i32.mul (local.get $q) (local.get $bytes))))
        (local.set $r (i32.const 0))
        (block $r1done
          (loop $r1loop
            (br_if $r1done (i32.ge_u (local.get $r) (local.get $nr)))
            (local.set $rp (i32.add (local.get $rows) (i32.mul (local.get $r) (local.get $bytes))))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (block $j1done
              (loop $j1loop
                (br_if $j1done (i32.ge_u (local.get $j) (local.get $bytes)))
                (local.set $a0 (f32x4.add (local.get $a0)
                  (f32x4.mul (v128.load (i32.add (local.get $rp) (local.get $j))) (v128.load (i32.add (local.get $q0) (local.get $j))))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $j1loop)))
            (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $nq)) (local.get $q)) (i32.const 2)))
              (call $hsum (local.get $a0)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $r1loop)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $q1loop)))))
