;; Test module: a proxy-wasm (ABI 0.2.0) HTTP filter that adds the response header "hello: <plugin configuration>",
;; or "hello: world" when the plugin has no configuration. It reads the configuration through the host, logs what it
;; does, and carries a name section, so it is larger than add-header.wasm and exercises more of the ABI.
;; Build: ./build.sh (wat2wasm --debug-names from the Debian package wabt).
(module $add_configured_header
  ;; proxy_get_buffer_bytes(buffer_type, start, max_size, return_ptr_ptr, return_size_ptr) -> status
  (import "env" "proxy_get_buffer_bytes" (func $get_buffer_bytes (param i32 i32 i32 i32 i32) (result i32)))
  ;; proxy_add_header_map_value(map_type, key_ptr, key_size, value_ptr, value_size) -> status
  (import "env" "proxy_add_header_map_value" (func $add_header (param i32 i32 i32 i32 i32) (result i32)))
  ;; proxy_log(level, message_ptr, message_size) -> status
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))

  (memory (export "memory") 2)
  (data (i32.const 1024) "hello")
  (data (i32.const 1032) "world")
  (data (i32.const 1040) "add-configured-header: configured")
  (data (i32.const 1080) "add-configured-header: no configuration, using the default value")

  ;; Where the host writes the pointer and size of a buffer it returns.
  (global $return_ptr i32 (i32.const 2048))
  (global $return_size i32 (i32.const 2052))
  ;; The header value: the configuration when set, else "world".
  (global $value_ptr (mut i32) (i32.const 1032))
  (global $value_size (mut i32) (i32.const 5))

  ;; Status codes and enums of the ABI used below.
  (global $status_ok i32 (i32.const 0))
  (global $buffer_plugin_configuration i32 (i32.const 7))
  (global $map_response_headers i32 (i32.const 2))
  (global $log_info i32 (i32.const 2))
  (global $action_continue i32 (i32.const 0))

  ;; A bump allocator for buffers the host hands to the module; memory grows on demand.
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

  ;; Reads the plugin configuration (buffer type 7) once; an empty or absent configuration keeps "world".
  (func $on_configure (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    (if (i32.eqz (local.get $size))
      (then
        (drop (call $log (global.get $log_info) (i32.const 1080) (i32.const 64)))
        (return (i32.const 1))))
    (if (i32.ne
          (call $get_buffer_bytes (global.get $buffer_plugin_configuration) (i32.const 0) (local.get $size)
            (global.get $return_ptr) (global.get $return_size))
          (global.get $status_ok))
      (then (return (i32.const 0))))
    (if (i32.eqz (i32.load (global.get $return_size)))
      (then (return (i32.const 1))))
    (global.set $value_ptr (i32.load (global.get $return_ptr)))
    (global.set $value_size (i32.load (global.get $return_size)))
    (drop (call $log (global.get $log_info) (i32.const 1040) (i32.const 33)))
    (i32.const 1))

  (func (export "proxy_on_request_headers") (param $context i32) (param $headers i32) (param $end i32) (result i32)
    (global.get $action_continue))
  (func $on_response_headers (export "proxy_on_response_headers") (param $context i32) (param $headers i32) (param $end i32) (result i32)
    (drop (call $add_header (global.get $map_response_headers)
      (i32.const 1024) (i32.const 5) (global.get $value_ptr) (global.get $value_size)))
    (global.get $action_continue))
  (func (export "proxy_on_done") (param $context i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param $context i32))
)
