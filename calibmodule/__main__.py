import sys

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "sweep":
        from calibmodule.sweep import main as sweep_main

        sweep_main(sys.argv[2:])
    else:
        from calibmodule.cli import main

        main()
