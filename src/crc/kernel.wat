;; CRC-64/XZ slicing-by-16 kernel on 64-bit registers.
;;
;; Memory layout (little-endian 64-bit words):
;;   [0, 32768)      the 16 lookup tables: T[k][b] at (k * 256 + b) * 8, filled by the host at start-up
;;                   from src/crc/tables.ts (T[k][b] = contribution of byte b followed by k zero bytes)
;;   [32768, ...)    input buffers owned by the host
;;
;; `update` works on the raw register (already inverted); the host does the pre/post conditioning.
;; Each step consumes 16 bytes: the first 8 are folded into the register and looked up in T15..T8, the
;; next 8 in T7..T0. The 16 loads are independent, so the CPU overlaps them; the xors form a tree to keep
;; the dependency chain short. Table indexes come from 32-bit halves, pre-shifted so that `index * 8`
;; costs one shift and one mask.
(module
  (memory (export "memory") 1)

  (func (export "update") (param $crc i64) (param $p i32) (param $n i32) (result i64)
    (local $stop i32)
    (local $end16 i32)
    (local $x i64)
    (local $y i64)
    (local $xl i32)
    (local $xh i32)
    (local $yl i32)
    (local $yh i32)
    (local.set $stop (i32.add (local.get $p) (local.get $n)))
    (local.set $end16 (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -16))))

    (block $done16
      (br_if $done16 (i32.ge_u (local.get $p) (local.get $end16)))
      (loop $step16
        (local.set $x (i64.xor (i64.load (local.get $p)) (local.get $crc)))
        (local.set $y (i64.load offset=8 (local.get $p)))
        (local.set $xl (i32.wrap_i64 (local.get $x)))
        (local.set $xh (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))
        (local.set $yl (i32.wrap_i64 (local.get $y)))
        (local.set $yh (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 32))))
        (local.set $crc
          (i64.xor
            (i64.xor
              (i64.xor
                (i64.xor
                  (i64.load offset=30720 (i32.and (i32.shl (local.get $xl) (i32.const 3)) (i32.const 0x7f8)))
                  (i64.load offset=28672 (i32.and (i32.shr_u (local.get $xl) (i32.const 5)) (i32.const 0x7f8))))
                (i64.xor
                  (i64.load offset=26624 (i32.and (i32.shr_u (local.get $xl) (i32.const 13)) (i32.const 0x7f8)))
                  (i64.load offset=24576 (i32.and (i32.shr_u (local.get $xl) (i32.const 21)) (i32.const 0x7f8)))))
              (i64.xor
                (i64.xor
                  (i64.load offset=22528 (i32.and (i32.shl (local.get $xh) (i32.const 3)) (i32.const 0x7f8)))
                  (i64.load offset=20480 (i32.and (i32.shr_u (local.get $xh) (i32.const 5)) (i32.const 0x7f8))))
                (i64.xor
                  (i64.load offset=18432 (i32.and (i32.shr_u (local.get $xh) (i32.const 13)) (i32.const 0x7f8)))
                  (i64.load offset=16384 (i32.and (i32.shr_u (local.get $xh) (i32.const 21)) (i32.const 0x7f8))))))
            (i64.xor
              (i64.xor
                (i64.xor
                  (i64.load offset=14336 (i32.and (i32.shl (local.get $yl) (i32.const 3)) (i32.const 0x7f8)))
                  (i64.load offset=12288 (i32.and (i32.shr_u (local.get $yl) (i32.const 5)) (i32.const 0x7f8))))
                (i64.xor
                  (i64.load offset=10240 (i32.and (i32.shr_u (local.get $yl) (i32.const 13)) (i32.const 0x7f8)))
                  (i64.load offset=8192 (i32.and (i32.shr_u (local.get $yl) (i32.const 21)) (i32.const 0x7f8)))))
              (i64.xor
                (i64.xor
                  (i64.load offset=6144 (i32.and (i32.shl (local.get $yh) (i32.const 3)) (i32.const 0x7f8)))
                  (i64.load offset=4096 (i32.and (i32.shr_u (local.get $yh) (i32.const 5)) (i32.const 0x7f8))))
                (i64.xor
                  (i64.load offset=2048 (i32.and (i32.shr_u (local.get $yh) (i32.const 13)) (i32.const 0x7f8)))
                  (i64.load (i32.and (i32.shr_u (local.get $yh) (i32.const 21)) (i32.const 0x7f8))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br_if $step16 (i32.lt_u (local.get $p) (local.get $end16)))))

    ;; The last 0-15 bytes, one at a time with T0.
    (block $done1
      (br_if $done1 (i32.ge_u (local.get $p) (local.get $stop)))
      (loop $step1
        (local.set $crc
          (i64.xor
            (i64.shr_u (local.get $crc) (i64.const 8))
            (i64.load
              (i32.shl
                (i32.and
                  (i32.xor (i32.wrap_i64 (local.get $crc)) (i32.load8_u (local.get $p)))
                  (i32.const 0xff))
                (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $step1 (i32.lt_u (local.get $p) (local.get $stop)))))

    (local.get $crc))
)
