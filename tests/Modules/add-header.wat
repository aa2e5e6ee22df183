;; Test module: a proxy-wasm (ABI 0.2.0) HTTP filter that adds the response header "hello: world".
;; The smallest complete filter the tests push, pull, cache and serve.
;; Build: ./build.sh (wat2wasm from the Debian package wabt).
(module
  ;; proxy_add_header_map_value(map_type, key_ptr, key_size, value_ptr, value_size) -> status
  (import "env" "proxy_add_header_map_value" (func $add_header (param i32 i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 1)
  (data (i32.const 1024) "hello")
  (data (i32.const 1032) "world")

  ;; A bump allocator for buffers the host hands to the module.
  (global $heap (mut i32) (i32.const 4096))
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (global.get $heap))
    (global.set $heap (i32.and (i32.add (i32.add (local.get $ptr) (local.get $size)) (i32.const 7)) (i32.const -8)))
    (if (i32.gt_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.add (i32.div_u (global.get $heap) (i32.const 65536)) (i32.const 1))))))
    (local.get $ptr))

  (func (export "proxy_abi_version_0_2_0"))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32) (call $malloc (local.get $size)))
  (func (export "proxy_on_context_create") (param $context i32) (param $root i32))
  (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32) (i32.const 1))
  (func (export "proxy_on_request_headers") (param $context i32) (param $headers i32) (param $end i32) (result i32)
    (i32.const 0))
  ;; map type 2 = HTTP response headers; action 0 = Continue.
  (func (export "proxy_on_response_headers") (param $context i32) (param $headers i32) (param $end i32) (result i32)
    (drop (call $add_header (i32.const 2) (i32.const 1024) (i32.const 5) (i32.const 1032) (i32.const 5)))
    (i32.const 0))
  (func (export "proxy_on_done") (param $context i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param $context i32))
)
